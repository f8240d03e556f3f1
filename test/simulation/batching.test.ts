import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { dueBatch } from "../../src/objects/notifications/batch";
import { enqueue, outboxHead } from "../../src/objects/notifications/outbox";
import { DEFAULT_USER_AGENT } from "../../src/schema/notification-options";
import { create, errorOf, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { callStub, failFirst, fastForward, notificationOf, putCallConfig, receivedAt, receiverUrl } from "./helpers";

const TOKEN = "sim-token";
const TERMINAL_SOON = [{ status: "Completed", afterMs: 100_000, resultInfo: { code: 200, subcode: 0 } }];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Journal = {
	value: { sequence: number; state: string; attempts: { dateTime: string; status: number | null }[] }[];
};
const journalOf = async (callId: string) =>
	(await (
		await send("GET", `${ORIGIN}/_stub/calls/${callId}/notifications`, undefined, { token: TOKEN })
	).json()) as Journal;

/** A call whose three operations complete at once (on the next fastForward), notifications configured so. */
async function callWithThree(hook: string, notifications?: object) {
	const callId = uniqueCallId("batching");
	const put = await putCallConfig(callId, {
		callbackUri: `${receiverUrl()}${hook}`,
		progression: { default: TERMINAL_SOON },
		...(notifications ? { notifications } : {}),
	});
	expect(put.status).toBe(200);
	for (const id of ["op-1", "op-2", "op-3"]) await create(callId, { id }, { token: TOKEN });
	return callId;
}

const itemsOf = (received: Awaited<ReturnType<typeof receivedAt>>) =>
	received.map((r) => notificationOf(r).value.map((item) => item.resourceData.id));

describe("notification batching", () => {
	it("sends the notifications due together in one POST, in order, when the configuration batches", async () => {
		const hook = `/batch-${uniqueCallId()}`;
		const callId = await callWithThree(hook, { batch: true });
		await fastForward(callId);
		const received = await receivedAt(hook);
		expect(itemsOf(received)).toEqual([["op-1", "op-2", "op-3"]]);
		expect(received[0]?.headers["x-stub-notification-sequence"]).toBe("1,2,3");
		expect(notificationOf(received[0] ?? ({} as never))["@odata.type"]).toBe("#microsoft.graph.commsNotifications");
		const journal = await journalOf(callId);
		expect(journal.value.map((n) => [n.sequence, n.state, n.attempts.length])).toEqual([
			[1, "delivered", 1],
			[2, "delivered", 1],
			[3, "delivered", 1],
		]);
		expect(new Set(journal.value.map((n) => n.attempts[0]?.dateTime)).size).toBe(1);
	});

	it("fails a batch as a whole: every notification it carried records the attempt, and they go again together", async () => {
		const hook = `/batch-${uniqueCallId()}`;
		await failFirst(hook, 1, 503);
		const callId = await callWithThree(hook, { batch: true });
		await fastForward(callId);
		expect((await journalOf(callId)).value.map((n) => [n.state, n.attempts.map((a) => a.status)])).toEqual([
			["pending", [503]],
			["pending", [503]],
			["pending", [503]],
		]);
		await fastForward(callId);
		const received = await receivedAt(hook);
		expect(received.map((r) => r.answeredWith)).toEqual([503, 202]);
		expect(itemsOf(received)).toEqual([
			["op-1", "op-2", "op-3"],
			["op-1", "op-2", "op-3"],
		]);
		expect((await journalOf(callId)).value.map((n) => [n.state, n.attempts.map((a) => a.status)])).toEqual([
			["delivered", [503, 202]],
			["delivered", [503, 202]],
			["delivered", [503, 202]],
		]);
	});

	it("puts at most maxItems in a POST", async () => {
		const hook = `/batch-${uniqueCallId()}`;
		const callId = await callWithThree(hook, { batch: true, maxItems: 2 });
		await fastForward(callId);
		expect(itemsOf(await receivedAt(hook))).toEqual([["op-1", "op-2"], ["op-3"]]);
	});

	it("sends one notification per POST by default", async () => {
		const hook = `/batch-${uniqueCallId()}`;
		const callId = await callWithThree(hook);
		await fastForward(callId);
		expect(itemsOf(await receivedAt(hook))).toEqual([["op-1"], ["op-2"], ["op-3"]]);
	});

	it("batches only a run from the head that is due and goes to one place", async () => {
		const callId = uniqueCallId("batch-rows");
		await putCallConfig(callId, {});
		const stub = await callStub(callId);
		const batches = await runInDurableObject(stub, (_, state) => {
			const sql = state.storage.sql;
			const row = (n: number, callbackUri: string | null, dueMs: number) =>
				enqueue(
					sql,
					{
						operationId: `op-${n}`,
						changeType: "updated",
						payload: `{"value":[${n}]}`,
						resourceUrl: null,
						callbackUri,
					},
					dueMs,
					"2026-01-01T00:00:00Z",
				);
			row(1, null, 0);
			row(2, null, 0);
			row(3, "https://bot.example/call", 0); // another place: the batch stops before it
			row(4, "https://bot.example/call", 0);
			row(5, "https://bot.example/call", Date.now() + 60_000); // not due yet
			const head = outboxHead(sql);
			if (!head) throw new Error("no head");
			const first = dueBatch(sql, head, 10, Date.now());
			sql.exec("UPDATE outbox SET state = 'delivered' WHERE id <= 2");
			const third = outboxHead(sql);
			if (!third) throw new Error("no head");
			return [first, dueBatch(sql, third, 10, Date.now()), dueBatch(sql, third, 1, Date.now())].map((batch) => ({
				sequences: batch.sequences,
				callbackUri: batch.callbackUri,
				payload: batch.payload,
			}));
		});
		expect(batches).toEqual([
			{ sequences: "1,2", callbackUri: null, payload: '{"value":[1,2]}' },
			{ sequences: "3,4", callbackUri: "https://bot.example/call", payload: '{"value":[3,4]}' },
			{ sequences: "3", callbackUri: "https://bot.example/call", payload: '{"value":[3]}' },
		]);
	});
});

describe("notification headers", () => {
	it("carry Scenario-ID (one per call), a new client-request-id per POST and Graph's User-Agent with the stub's name", async () => {
		const hook = `/headers-${uniqueCallId()}`;
		const callId = await callWithThree(hook);
		await fastForward(callId);
		const headers = (await receivedAt(hook)).map((r) => r.headers);
		expect(headers).toHaveLength(3);
		expect(new Set(headers.map((h) => h["scenario-id"])).size).toBe(1);
		expect(headers[0]?.["scenario-id"]).toMatch(GUID);
		expect(new Set(headers.map((h) => h["client-request-id"])).size).toBe(3);
		for (const h of headers) expect(h["client-request-id"]).toMatch(GUID);
		expect(headers[0]?.["user-agent"]).toBe(DEFAULT_USER_AGENT);
		expect(DEFAULT_USER_AGENT).toMatch(/^Microsoft-Skype\/3\.0,\(Calling\/1\.0\) graph-comms-stub\/\d+\.\d+\.\d+$/);
	});

	it("carry the configured User-Agent", async () => {
		const hook = `/headers-${uniqueCallId()}`;
		const callId = await callWithThree(hook, { userAgent: "contoso-test-graph/1.0" });
		await fastForward(callId);
		expect((await receivedAt(hook)).map((r) => r.headers["user-agent"])).toEqual(
			Array(3).fill("contoso-test-graph/1.0"),
		);
	});

	it("refuses notification options that cannot be honoured, naming each field, and stores nothing", async () => {
		const callId = uniqueCallId("bad-options");
		const response = await putCallConfig(callId, {
			notifications: { maxItems: 5, userAgent: "bad\nagent", batch: "yes" },
		});
		expect(response.status).toBe(400);
		const { error } = await errorOf(response);
		expect(error.details?.map((d) => d.target).sort()).toEqual(["notifications.batch", "notifications.userAgent"]);
		const noBatch = await putCallConfig(callId, { notifications: { maxItems: 5 } });
		expect((await errorOf(noBatch)).error.details?.map((d) => [d.target, d.message])).toEqual([
			["notifications.maxItems", "notifications.maxItems: needs batch: true"],
		]);
		for (const maxItems of [0, 101, 2.5])
			expect((await putCallConfig(callId, { notifications: { batch: true, maxItems } })).status).toBe(400);
		const view = await send("GET", `${ORIGIN}/_stub/calls/${callId}/config`, undefined, { token: TOKEN });
		expect(((await view.json()) as { own: unknown }).own).toBeNull();
	});
});
