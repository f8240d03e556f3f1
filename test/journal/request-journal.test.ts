import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import { JOURNAL_BODY_BYTES } from "../../src/objects/requests/journal-body";
import { act, acted, after3, establishedCall, PROMPT } from "../actions/helpers";
import { advance, newTester } from "../calls/helpers";
import { create, json, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";
import { journalPage, routesOf } from "./helpers";

// The request journal of one call: what it keeps, in which order, how much, for how long, and never
// a secret. (Filters and paging: journal-filters.test.ts.)

const objectOf = async (token: string, callId: string) => callObject(env, await tokenHashNamespace(token), callId);

describe("the request journal", () => {
	it("keeps each request the call answered, newest first, with method, path, query, route, status and both bodies", async () => {
		const token = uniqueCallId("journal-order");
		const callId = uniqueCallId();
		const created = await create(
			callId,
			{ id: "op-1", clientContext: "c-1" },
			{ token, headers: { "client-request-id": "crid-1" } },
		);
		expect(created.status).toBe(201);
		expect((await send("GET", `${operationsUrl(callId)}/op-1`, undefined, { token })).status).toBe(200);
		expect((await send("GET", `${operationsUrl(callId)}?$top=5`, undefined, { token })).status).toBe(200);
		expect((await send("PATCH", `${operationsUrl(callId)}/op-1`, { status: "Completed" }, { token })).status).toBe(200);
		expect((await send("GET", `${operationsUrl(callId)}/nope`, undefined, { token })).status).toBe(404);
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(409);
		expect((await send("DELETE", `${operationsUrl(callId)}/op-1`, undefined, { token })).status).toBe(204);

		const page = await journalPage(token, callId);
		expect(routesOf(page)).toEqual([
			"deleteOperation",
			"createOperation",
			"getOperation",
			"patchOperation",
			"listOperations",
			"getOperation",
			"createOperation",
		]);
		expect(page.value.map((entry) => entry.sequence)).toEqual([7, 6, 5, 4, 3, 2, 1]);
		expect(page.value.map((entry) => entry.status)).toEqual([204, 409, 404, 200, 200, 200, 201]);
		const first = page.value[6];
		expect(first).toMatchObject({
			source: "bot",
			method: "POST",
			path: `/beta/communications/calls/${callId}/operations`,
			query: "",
			outcome: "ok",
			clientRequestId: "crid-1",
			requestBody: { id: "op-1", clientContext: "c-1" },
			responseBody: { id: "op-1", clientContext: "c-1", status: "NotStarted" },
		});
		expect(page.value[4]).toMatchObject({ route: "listOperations", query: "$top=5", method: "GET" });
		expect(page.value[2]).toMatchObject({
			outcome: "operationNotFound",
			responseBody: { error: { code: "itemNotFound", message: "The operation 'nope' was not found in this call." } },
		});
		expect(page.value[1]).toMatchObject({ outcome: "conflict", responseBody: { error: { code: "Conflict" } } });
		expect(page.value[0]?.responseBody).toBeUndefined();
		// A client-request-id the bot did not send is the request-id the stub answered with.
		expect(page.value[0]?.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
	});

	it("keeps what a fault plan injected: the fault and the latency", async () => {
		const token = uniqueCallId("journal-fault");
		const callId = uniqueCallId();
		const config = {
			faults: {
				rules: [
					{ route: "create", nth: 2, status: 429, retryAfterSeconds: 7 },
					{ route: "get", latencyMs: 5 },
				],
			},
		};
		expect((await send("PUT", `${ORIGIN}/_stub/calls/${callId}/config`, config, { token })).status).toBe(200);
		expect((await create(callId, { id: "a" }, { token })).status).toBe(201);
		expect((await create(callId, { id: "b" }, { token })).status).toBe(429);
		expect((await send("GET", `${operationsUrl(callId)}/a`, undefined, { token })).status).toBe(200);
		const [get, faulted] = (await journalPage(token, callId)).value;
		expect(faulted).toMatchObject({
			route: "createOperation",
			status: 429,
			outcome: "fault",
			fault: { status: 429, retryAfterSeconds: 7 },
			responseBody: { error: { code: "TooManyRequests" } },
		});
		expect(get).toMatchObject({ route: "getOperation", status: 200, delayMs: 5 });
	});

	it("keeps a faulted action under its route name, with the error the bot got", async () => {
		const tester = newTester("journal-action-fault");
		const call = await establishedCall(tester);
		const faults = { rules: [{ route: "playPrompt", nth: 1, status: 503, retryAfterSeconds: 2 }] };
		const put = await send("PUT", `${ORIGIN}/_stub/calls/${call.id}/config`, { faults }, { token: tester.token });
		expect(put.status).toBe(200);
		expect((await act(tester, call.id, "playPrompt", { prompts: [PROMPT] })).status).toBe(503);
		expect((await act(tester, call.id, "playPrompt", { prompts: [PROMPT] })).status).toBe(200);
		const [played, faulted] = (await journalPage(tester.token, call.id, "route=playPrompt")).value;
		expect(faulted).toMatchObject({ status: 503, outcome: "fault", fault: { status: 503, retryAfterSeconds: 2 } });
		expect(faulted?.responseBody).toMatchObject({ error: { code: "ServiceUnavailable" } });
		expect(faulted?.requestBody).toEqual({ prompts: [PROMPT] });
		expect(played).toMatchObject({ status: 200, outcome: "ok", responseBody: { status: "running" } });
	});

	it("keeps a recording's download as the bot's, and never its access token", async () => {
		const tester = newTester("journal-recording");
		const call = await establishedCall(tester, { recordMs: 1500 });
		await acted(tester, call.id, "recordResponse", {});
		await advance(tester, call.id, "operationFinished");
		const [done] = await after3(tester, 1);
		const { recordingLocation, recordingAccessToken } = (done?.resourceData ?? {}) as Record<string, string>;
		expect((await send("GET", String(recordingLocation), undefined, { token: recordingAccessToken })).status).toBe(200);
		expect((await send("GET", String(recordingLocation), undefined, { token: "wrong" })).status).toBe(401);
		const [refused, downloaded] = (await journalPage(tester.token, call.id, "route=downloadRecording")).value;
		expect(downloaded).toMatchObject({ route: "downloadRecording", source: "bot", method: "GET", status: 200 });
		expect(String(downloaded?.responseBody)).toMatch(/^<audio\/wav, \d+ bytes>$/);
		expect(refused).toMatchObject({ route: "downloadRecording", status: 401, outcome: "unauthorized" });
		await runInDurableObject(await objectOf(tester.token, call.id), async (_, state) => {
			const stored = JSON.stringify(state.storage.sql.exec("SELECT * FROM request_journal").toArray());
			expect(stored).not.toContain(String(recordingAccessToken));
		});
	});

	it("cuts each body at 16 KiB and marks it; a create still writes one journal row", async () => {
		const token = uniqueCallId("journal-cap");
		const callId = uniqueCallId();
		const big = "é".repeat(JOURNAL_BODY_BYTES); // two bytes each: twice the cap
		const created = await create(callId, { id: "big", clientContext: "small", note: big }, { token });
		expect(created.status).toBe(201);
		const [entry] = (await journalPage(token, callId)).value;
		expect(entry?.requestBodyTruncated).toBe(true);
		expect(entry?.responseBodyTruncated).toBe(true);
		expect(typeof entry?.requestBody).toBe("string");
		const kept = new TextEncoder().encode(String(entry?.requestBody)).byteLength;
		expect(kept).toBeLessThanOrEqual(JOURNAL_BODY_BYTES);
		expect(kept).toBeGreaterThan(JOURNAL_BODY_BYTES - 2);
		expect(String(entry?.requestBody)).toMatch(/^\{"id":"big"/);
		expect(String(entry?.requestBody)).not.toContain("\uFFFD");
		// Small bodies are whole, and marked as nothing.
		expect((await create(callId, { id: "small" }, { token })).status).toBe(201);
		const [small] = (await journalPage(token, callId)).value;
		expect(small?.requestBodyTruncated).toBeUndefined();
		expect(small?.requestBody).toEqual({ id: "small" });
	});

	it("keeps the newest N (requestJournal.keep), writing one row per request once full", async () => {
		const token = uniqueCallId("journal-keep");
		const callId = uniqueCallId();
		const put = await send("PUT", `${ORIGIN}/_stub/calls/${callId}/config`, { requestJournal: { keep: 3 } }, { token });
		expect(put.status).toBe(200);
		const rows: number[] = [];
		for (let i = 1; i <= 6; i++) {
			const response = await create(callId, { id: `op-${i}` }, { token });
			expect(response.status).toBe(201);
			rows.push(Number(response.headers.get("x-stub-rows-written")));
		}
		const page = await journalPage(token, callId);
		expect(page.value.map((entry) => entry.sequence)).toEqual([6, 5, 4]);
		expect(page.value.map((entry) => (entry.requestBody as { id: string }).id)).toEqual(["op-6", "op-5", "op-4"]);
		// The operation, its id's index entry and the journal row; once full, the oldest row is overwritten
		// in place, still one row (call_info's last activity may add one, at most once a second).
		for (const written of rows.slice(1)) expect([3, 4]).toContain(written);
		await runInDurableObject(await objectOf(token, callId), async (_, state) => {
			expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM request_journal").one().n).toBe(3);
		});
		// A smaller keep drops the oldest at the next request.
		await send("PUT", `${ORIGIN}/_stub/calls/${callId}/config`, { requestJournal: { keep: 2 } }, { token });
		expect((await create(callId, { id: "op-7" }, { token })).status).toBe(201);
		expect((await journalPage(token, callId)).value.map((entry) => entry.sequence)).toEqual([7, 6]);
	});

	it("refuses a keep outside 1–5000, naming the field", async () => {
		const token = uniqueCallId("journal-keep-bad");
		const response = await send("PUT", `${ORIGIN}/_stub/config`, { requestJournal: { keep: 0 } }, { token });
		expect(response.status).toBe(400);
		expect(JSON.stringify(await json(response))).toContain("requestJournal.keep");
		const tooMany = await send("PUT", `${ORIGIN}/_stub/config`, { requestJournal: { keep: 5001 } }, { token });
		expect(tooMany.status).toBe(400);
	});

	it("is wiped with the call: by its reset and by the namespace's", async () => {
		const token = uniqueCallId("journal-wipe");
		const one = uniqueCallId();
		const two = uniqueCallId();
		for (const callId of [one, two]) expect((await create(callId, {}, { token })).status).toBe(201);
		expect((await send("DELETE", `${ORIGIN}/_stub/calls/${one}`, undefined, { token })).status).toBe(204);
		expect((await journalPage(token, one)).value).toEqual([]);
		expect((await journalPage(token, two)).value).toHaveLength(1);
		expect((await send("DELETE", `${ORIGIN}/_stub/calls`, undefined, { token })).status).toBe(204);
		expect((await journalPage(token, two)).value).toEqual([]);
		// A new incarnation starts its journal again at 1.
		expect((await create(one, {}, { token })).status).toBe(201);
		expect((await journalPage(token, one)).value.map((entry) => entry.sequence)).toEqual([1]);
	});

	it("stores no secret: never the Authorization header, never a callbackToken value", async () => {
		const token = `secret-bearer-${crypto.randomUUID()}`;
		const callId = uniqueCallId();
		const body = { id: "s", callbackToken: "s3cr3t-value", nested: { CallbackToken: "other-s3cr3t" } };
		const created = await create(callId, body, { token });
		expect(created.status).toBe(201);
		const [entry] = (await journalPage(token, callId)).value;
		expect(entry?.requestBody).toEqual({
			id: "s",
			callbackToken: "[redacted]",
			nested: { CallbackToken: "[redacted]" },
		});
		await runInDurableObject(await objectOf(token, callId), async (_, state) => {
			const stored = JSON.stringify(state.storage.sql.exec("SELECT * FROM request_journal").toArray());
			expect(stored).toContain("[redacted]");
			expect(stored).not.toContain("s3cr3t");
			expect(stored).not.toContain(token);
		});
	});

	it("is the tester's own: another namespace sees nothing of it", async () => {
		const callId = uniqueCallId("shared-id");
		const mine = uniqueCallId("journal-mine");
		const theirs = uniqueCallId("journal-theirs");
		expect((await create(callId, {}, { token: mine })).status).toBe(201);
		expect((await journalPage(theirs, callId)).value).toEqual([]);
		expect((await journalPage(mine, callId)).value).toHaveLength(1);
		const namespaceWide = await send("GET", `${ORIGIN}/_stub/requests`, undefined, { token: theirs });
		expect(((await json(namespaceWide)) as { value: unknown[] }).value).toEqual([]);
	});

	it("reads through /_stub are not Graph traffic: no fault plan, no Retry-After violation, not journaled", async () => {
		const token = uniqueCallId("journal-reads");
		const callId = uniqueCallId();
		const config = {
			faults: { rules: [{ route: "create", nth: 1, status: 429, retryAfterSeconds: 60 }, { status: 503 }] },
		};
		expect((await send("PUT", `${ORIGIN}/_stub/calls/${callId}/config`, config, { token })).status).toBe(200);
		expect((await create(callId, {}, { token })).status).toBe(429); // Retry-After window open for a minute
		for (let i = 0; i < 3; i++) expect((await journalPage(token, callId)).value).toHaveLength(1);
		const count = await send("GET", `${ORIGIN}/_stub/calls/${callId}/requests?count=true`, undefined, { token });
		expect(await json(count)).toEqual({ "@odata.count": 1 });
		const faults = await json(await send("GET", `${ORIGIN}/_stub/calls/${callId}/journal`, undefined, { token }));
		expect((faults.value as { kind: string }[]).map((entry) => entry.kind)).toEqual(["fault"]);
	});

	it("an unknown call has an empty journal, and stores nothing for requests to it", async () => {
		const token = uniqueCallId("journal-unknown");
		const callId = uniqueCallId();
		expect((await send("GET", `${operationsUrl(callId)}/x`, undefined, { token })).status).toBe(404);
		expect((await journalPage(token, callId)).value).toEqual([]);
	});
});
