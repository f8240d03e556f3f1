import { describe, expect, it } from "vitest";
import { establishedCall, PROMPT } from "../actions/helpers";
import { callUrl, newTester } from "../calls/helpers";
import { create, errorOf, json, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";
import { expectConforms } from "../openapi/conforms";
import { allPages, type Entry, journalPage, requestsUrl, routesOf } from "./helpers";

// Reading the journal back: each filter, paging, counts, the namespace-wide read, and bad queries.

const prompt = (uri: string) => ({ ...PROMPT, mediaInfo: { ...PROMPT.mediaInfo, uri } });

/** An established call that played two prompts (one of them twice) and heard a key press. */
async function promptedCall() {
	const tester = newTester("journal-filter");
	const call = await establishedCall(tester);
	for (const uri of ["https://cdn.test/a.wav", "https://cdn.test/b.wav"]) {
		const body = { clientContext: uri, prompts: [prompt(uri)] };
		expect((await send("POST", `${callUrl(call.id)}/playPrompt`, body, { token: tester.token })).status).toBe(200);
	}
	const both = { prompts: [prompt("https://cdn.test/a.wav"), prompt("https://cdn.test/c.wav")] };
	expect((await send("POST", `${callUrl(call.id)}/playPrompt`, both, { token: tester.token })).status).toBe(200);
	const tones = await send(
		"POST",
		`${ORIGIN}/_stub/calls/${call.id}/tones`,
		{ tones: ["tone1"] },
		{ token: tester.token },
	);
	expect(tones.status).toBe(202);
	expect((await send("POST", `${callUrl(call.id)}/keepAlive`, undefined, { token: tester.token })).status).toBe(200);
	return { tester, call };
}

const bodyContains = (document: unknown) => `bodyContains=${encodeURIComponent(JSON.stringify(document))}`;

describe("filters", () => {
	it("by route, method, path and status (exact or class); tester controls marked as such", async () => {
		const { tester, call } = await promptedCall();
		const all = await journalPage(tester.token, call.id);
		expect(routesOf(all)).toEqual(["keepAlive", "pressTones", "playPrompt", "playPrompt", "playPrompt", "createCall"]);
		expect(all.value.map((entry) => entry.source)).toEqual(["bot", "tester", "bot", "bot", "bot", "bot"]);
		expect(all.value[2]).toMatchObject({
			method: "POST",
			path: `/v1.0/communications/calls/${call.id}/playPrompt`,
			status: 200,
			responseBody: { "@odata.type": "#microsoft.graph.playPromptOperation", status: "running" },
		});

		expect(routesOf(await journalPage(tester.token, call.id, "route=playPrompt"))).toEqual([
			"playPrompt",
			"playPrompt",
			"playPrompt",
		]);
		expect(routesOf(await journalPage(tester.token, call.id, "method=post&path=/tones"))).toEqual(["pressTones"]);
		expect(routesOf(await journalPage(tester.token, call.id, "method=GET"))).toEqual([]);
		expect(routesOf(await journalPage(tester.token, call.id, "status=201"))).toEqual(["createCall"]);
		expect(routesOf(await journalPage(tester.token, call.id, "status=2xx&route=keepAlive"))).toEqual(["keepAlive"]);
		expect(routesOf(await journalPage(tester.token, call.id, "status=4xx"))).toEqual([]);
	});

	it("by a sub-document of the body: objects by subset, arrays by an ordered subsequence", async () => {
		const { tester, call } = await promptedCall();
		const uris = async (document: unknown) =>
			(await journalPage(tester.token, call.id, bodyContains(document))).value.map((entry) =>
				(entry.requestBody as { prompts: { mediaInfo: { uri: string } }[] }).prompts
					.map((p) => p.mediaInfo.uri)
					.join(" "),
			);
		const a = { mediaInfo: { uri: "https://cdn.test/a.wav" } };
		const c = { mediaInfo: { uri: "https://cdn.test/c.wav" } };
		expect(await uris({ prompts: [a] })).toEqual([
			"https://cdn.test/a.wav https://cdn.test/c.wav",
			"https://cdn.test/a.wav",
		]);
		expect(await uris({ prompts: [a, c] })).toEqual(["https://cdn.test/a.wav https://cdn.test/c.wav"]);
		expect(await uris({ prompts: [c, a] })).toEqual([]); // order matters
		expect(await uris({ prompts: [a, a] })).toEqual([]); // each pattern element its own match
		expect(await uris({ clientContext: "https://cdn.test/b.wav" })).toEqual(["https://cdn.test/b.wav"]);
		expect(await uris({ prompts: {} })).toEqual([]); // an object never matches an array
		const count = await json(
			await send("GET", requestsUrl(call.id, `count=true&${bodyContains({ prompts: [] })}`), undefined, {
				token: tester.token,
			}),
		);
		expect(count).toEqual({ "@odata.count": 3 });
	});

	it("since a time, and counts without bodies for verify-style assertions", async () => {
		const token = uniqueCallId("journal-since");
		const callId = uniqueCallId();
		expect((await create(callId, { id: "early" }, { token })).status).toBe(201);
		const [early] = (await journalPage(token, callId)).value;
		await new Promise((resolve) => setTimeout(resolve, 5));
		const cut = new Date(Date.parse(early?.dateTime ?? "") + 1).toISOString();
		expect((await create(callId, { id: "late" }, { token })).status).toBe(201);
		expect((await send("GET", `${operationsUrl(callId)}/late`, undefined, { token })).status).toBe(200);
		const since = await journalPage(token, callId, `since=${encodeURIComponent(cut)}`);
		expect(routesOf(since)).toEqual(["getOperation", "createOperation"]);
		const counted = await send("GET", requestsUrl(callId, "count=true&route=createOperation"), undefined, { token });
		expect(await json(counted)).toEqual({ "@odata.count": 2 });
		await expectConforms(
			"GET",
			requestsUrl(callId, "count=true"),
			await send("GET", requestsUrl(callId, "count=true"), undefined, { token }),
		);
	});
});

describe("paging", () => {
	it("pages newest first with @odata.nextLink, each entry exactly once, the filters kept", async () => {
		const token = uniqueCallId("journal-paging");
		const callId = uniqueCallId();
		for (let i = 1; i <= 7; i++) expect((await create(callId, { id: `op-${i}` }, { token })).status).toBe(201);
		for (let i = 1; i <= 3; i++)
			expect((await send("GET", `${operationsUrl(callId)}/op-${i}`, undefined, { token })).status).toBe(200);
		const first = await journalPage(token, callId, "route=createOperation&$top=3");
		expect(first.value.map((entry) => entry.sequence)).toEqual([7, 6, 5]);
		expect(first["@odata.nextLink"]).toMatch(
			/^https:\/\/stub\.test\/_stub\/calls\/.+\/requests\?route=createOperation&\$top=3&\$skiptoken=/,
		);
		const entries = await allPages(token, requestsUrl(callId, "route=createOperation&$top=3"));
		expect(entries.map((entry) => entry.sequence)).toEqual([7, 6, 5, 4, 3, 2, 1]);
		const everything = await allPages(token, requestsUrl(callId, "$top=4"));
		expect(everything.map((entry) => entry.sequence)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
		const last = await journalPage(token, callId, "$top=10");
		expect(last["@odata.nextLink"]).toBeUndefined();
		await expectConforms(
			"GET",
			requestsUrl(callId, "$top=3"),
			await send("GET", requestsUrl(callId, "$top=3"), undefined, { token }),
		);
	});
});

describe("the namespace-wide journal", () => {
	it("merges the namespace's calls newest first, each entry naming its call; filters, pages and counts", async () => {
		const token = uniqueCallId("journal-namespace");
		const [one, two] = [uniqueCallId("one"), uniqueCallId("two")];
		const other = uniqueCallId("journal-namespace-other");
		for (const [callId, id] of [
			[one, "a"],
			[two, "b"],
			[one, "c"],
			[two, "d"],
		] as const) {
			expect((await create(callId, { id }, { token })).status).toBe(201);
			await new Promise((resolve) => setTimeout(resolve, 2)); // distinct times: the order is the test's
		}
		expect((await create(uniqueCallId(), { id: "x" }, { token: other })).status).toBe(201);
		const url = `${ORIGIN}/_stub/requests`;
		const ids = (entries: Entry[]) =>
			entries.map((entry) => `${entry.callId === one ? "one" : "two"}:${(entry.requestBody as { id: string }).id}`);
		const page = await send("GET", url, undefined, { token });
		expect(page.headers.get("x-stub-calls-searched")).toBe("2");
		expect(ids(((await json(page)) as { value: Entry[] }).value)).toEqual(["two:d", "one:c", "two:b", "one:a"]);
		expect(ids(await allPages(token, `${url}?$top=1`))).toEqual(["two:d", "one:c", "two:b", "one:a"]);
		expect(ids(await allPages(token, `${url}?$top=3&${bodyContains({ id: "b" })}`))).toEqual(["two:b"]);
		expect(await json(await send("GET", `${url}?count=true&route=createOperation`, undefined, { token }))).toEqual({
			"@odata.count": 4,
		});
		await expectConforms("GET", `${url}?$top=2`, await send("GET", `${url}?$top=2`, undefined, { token }));
	});
});

describe("bad queries", () => {
	it("are refused with one Graph 400 naming every failing parameter, and change nothing", async () => {
		const token = uniqueCallId("journal-bad");
		const callId = uniqueCallId();
		expect((await create(callId, {}, { token })).status).toBe(201);
		const query =
			"method=FETCH&status=99&since=yesterday&bodyContains={nope&$top=0&count=maybe&colour=red&route=play-prompt&path=nope&$skiptoken=zz";
		for (const url of [requestsUrl(callId, query), `${ORIGIN}/_stub/requests?${query}`]) {
			const response = await send("GET", url, undefined, { token });
			expect(response.status).toBe(400);
			const { error } = await errorOf(response);
			expect(error.code).toBe("BadRequest");
			expect(error.details?.map((detail) => detail.target).sort()).toEqual(
				["$skiptoken", "$top", "bodyContains", "colour", "count", "method", "path", "route", "since", "status"].sort(),
			);
		}
		const twice = await send("GET", requestsUrl(callId, "route=a&route=b"), undefined, { token });
		expect((await errorOf(twice)).error.details?.map((detail) => detail.target)).toEqual(["route"]);
		expect((await journalPage(token, callId)).value).toHaveLength(1);
	});
});
