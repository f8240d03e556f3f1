import { describe, expect, it } from "vitest";
import { create, json, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";
import { allPages, type Entry, type Page } from "./helpers";

// Requests the Worker refuses before any call's object sees them (issue 22): GET /_stub/requests shows
// them beside the calls' entries, in the caller's namespace only, bounded, never with a secret.

const namespaceUrl = (query = "") => `${ORIGIN}/_stub/requests${query ? `?${query}` : ""}`;

async function namespacePage(token: string, query = ""): Promise<Page> {
	const response = await send("GET", namespaceUrl(query), undefined, { token });
	expect(response.status, await response.clone().text()).toBe(200);
	return (await json(response)) as Page;
}

const refusedOf = (page: Page) => page.value.filter((entry) => entry.route === "refused");

describe("the requests refused before they reached a call", () => {
	it("keeps a refused body, an unknown route, a bad path and a wrong method, newest first, with both bodies", async () => {
		const token = uniqueCallId("refused");
		const callId = uniqueCallId();
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(201);
		const bad = await create(
			callId,
			{ status: "Bogus", callbackToken: "s3cret" },
			{ token, headers: { "client-request-id": "crid-bad" } },
		);
		expect(bad.status).toBe(400);
		const badText = await bad.text();
		expect((await send("GET", `${ORIGIN}/beta/communications/nowhere`, undefined, { token })).status).toBe(404);
		expect(
			(await send("GET", `${ORIGIN}/v2.0/communications/calls/${callId}/operations`, undefined, { token })).status,
		).toBe(400);
		expect((await send("PUT", operationsUrl(callId), {}, { token })).status).toBe(405);

		const page = await namespacePage(token);
		const refused = refusedOf(page);
		expect(refused.map((entry) => [entry.method, entry.status])).toEqual([
			["PUT", 405],
			["GET", 400],
			["GET", 404],
			["POST", 400],
		]);
		const [wrongMethod, badPath, unknown, invalid] = refused as [Entry, Entry, Entry, Entry];
		expect(invalid).toMatchObject({
			source: "bot",
			method: "POST",
			path: `/beta/communications/calls/${callId}/operations`,
			outcome: "BadRequest",
			clientRequestId: "crid-bad",
			requestBody: { status: "Bogus", callbackToken: "[redacted]" },
		});
		// The entry's response body is the answer's error, without its innerError.
		const sent = JSON.parse(badText) as { error: { code: string; message: string; details?: unknown } };
		expect(invalid.responseBody).toEqual({
			error: { code: sent.error.code, message: sent.error.message, details: sent.error.details },
		});
		expect(JSON.stringify(page)).not.toContain("s3cret");
		expect(unknown).toMatchObject({ path: "/beta/communications/nowhere", outcome: "NotFound" });
		expect(badPath).toMatchObject({ path: `/v2.0/communications/calls/${callId}/operations`, status: 400 });
		expect(wrongMethod).toMatchObject({ method: "PUT", status: 405, outcome: "MethodNotAllowed" });
		// A refused request names no call; the call's own entry does, and only it is in the call's journal.
		expect(refused.every((entry) => entry.callId === undefined)).toBe(true);
		expect(page.value.find((entry) => entry.route === "createOperation")?.callId).toBe(callId);
		const own = await send("GET", `${ORIGIN}/_stub/calls/${callId}/requests`, undefined, { token });
		expect(((await json(own)) as Page).value.map((entry) => entry.route)).toEqual(["createOperation"]);
	});

	it("keeps nothing twice: a request the call's object refused is in the call's journal only", async () => {
		const token = uniqueCallId("refused-once");
		const callId = uniqueCallId();
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(201);
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(409);
		expect((await send("GET", `${operationsUrl(callId)}/nope`, undefined, { token })).status).toBe(404);
		const page = await namespacePage(token);
		expect(page.value.map((entry) => [entry.route, entry.status])).toEqual([
			["getOperation", 404],
			["createOperation", 409],
			["createOperation", 201],
		]);
	});

	it("is the caller's namespace's alone; a 401 names no namespace and is kept nowhere", async () => {
		const mine = uniqueCallId("refused-mine");
		const theirs = uniqueCallId("refused-theirs");
		expect((await send("GET", `${ORIGIN}/beta/communications/mine-only`, undefined, { token: mine })).status).toBe(404);
		// Without a token a route that needs one is 401; the namespace is unknown, so nothing is kept.
		expect((await send("GET", operationsUrl(uniqueCallId()), undefined, { token: null })).status).toBe(401);
		expect(refusedOf(await namespacePage(mine)).map((entry) => entry.path)).toEqual(["/beta/communications/mine-only"]);
		expect((await namespacePage(theirs)).value).toEqual([]);
	});

	it("filters, counts and pages with the calls' entries; a reset of every call empties it", async () => {
		const token = uniqueCallId("refused-paging");
		const callId = uniqueCallId();
		for (let i = 0; i < 3; i++) {
			expect((await create(callId, { id: `op-${i}` }, { token })).status).toBe(201);
			expect((await create(callId, { status: "Bogus" }, { token })).status).toBe(400);
		}
		const count = await send("GET", namespaceUrl("status=400&count=true"), undefined, { token });
		expect(await json(count)).toEqual({ "@odata.count": 3 });
		expect(refusedOf(await namespacePage(token, "route=refused")).length).toBe(3);
		const all = await allPages(token, namespaceUrl("$top=2"));
		expect(all.map((entry) => entry.status)).toEqual([400, 201, 400, 201, 400, 201]);

		expect((await send("DELETE", `${ORIGIN}/_stub/calls`, undefined, { token })).status).toBe(204);
		expect((await namespacePage(token)).value).toEqual([]);
	});

	it("keeps the newest requestJournal.keep of the namespace's configuration", async () => {
		const token = uniqueCallId("refused-keep");
		const put = await send("PUT", `${ORIGIN}/_stub/config`, { requestJournal: { keep: 2 } }, { token });
		expect(put.status).toBe(200);
		for (const name of ["a", "b", "c"])
			expect((await send("GET", `${ORIGIN}/beta/communications/${name}`, undefined, { token })).status).toBe(404);
		expect(refusedOf(await namespacePage(token)).map((entry) => entry.path)).toEqual([
			"/beta/communications/c",
			"/beta/communications/b",
		]);
	});

	it("does not keep a refused /_stub control (the tester's own request)", async () => {
		const token = uniqueCallId("refused-stub");
		expect((await send("GET", namespaceUrl("bogus=1"), undefined, { token })).status).toBe(400);
		expect((await send("PUT", `${ORIGIN}/_stub/config`, { faults: 1 }, { token })).status).toBe(400);
		expect((await namespacePage(token)).value).toEqual([]);
	});

	it("never keeps a query's access_token, refused or answered by a call", async () => {
		const token = uniqueCallId("refused-query");
		const callId = uniqueCallId();
		const url = `${ORIGIN}/v1.0/communications/nonsense?access_token=sekrit1&x=1`;
		expect((await send("GET", url, undefined, { token })).status).toBe(404);
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(201);
		const read = await send("GET", `${operationsUrl(callId)}/op-1?ACCESS_TOKEN=sekrit2`, undefined, { token });
		expect(read.status).toBe(200);
		const kept = await namespacePage(token);
		expect(kept.value.length).toBe(3);
		expect(JSON.stringify(kept)).not.toContain("sekrit");
		expect(kept.value.map((entry) => entry.query)).toEqual([
			"ACCESS_TOKEN=%5Bredacted%5D",
			"",
			"access_token=%5Bredacted%5D&x=1",
		]);
	});

	it("keeps a burst in arrival order (written in batches), and a reset right after it leaves none behind", async () => {
		const token = uniqueCallId("refused-burst");
		for (let i = 0; i < 30; i++)
			expect((await send("GET", `${ORIGIN}/v1.0/communications/burst-${i}`, undefined, { token })).status).toBe(404);
		const kept = await namespacePage(token, "$top=50");
		expect(kept.value.map((entry) => entry.path)).toEqual(
			Array.from({ length: 30 }, (_, i) => `/v1.0/communications/burst-${29 - i}`),
		);
		for (let i = 0; i < 5; i++) await send("GET", `${ORIGIN}/v1.0/communications/late-${i}`, undefined, { token });
		expect((await send("DELETE", `${ORIGIN}/_stub/calls`, undefined, { token })).status).toBe(204);
		await new Promise((resolve) => setTimeout(resolve, 100)); // a batch written after the reset would show now
		expect((await namespacePage(token)).value).toEqual([]);
	});
});
