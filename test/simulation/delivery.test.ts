import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { backoffMs } from "../../src/objects/notifications/outbox";
import { create, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { callStub, failFirst, fastForward, notificationOf, putCallConfig, receivedAt, receiverUrl } from "./helpers";

const TOKEN = "sim-token";
const TERMINAL_SOON = [{ status: "Completed", afterMs: 100_000, resultInfo: { code: 200, subcode: 0 } }];

type Journal = {
	value: {
		sequence: number;
		operationId: string;
		state: string;
		attempts: { attempt: number; status: number | null }[];
	}[];
};
const journalOf = async (callId: string) =>
	(await (
		await send("GET", `${ORIGIN}/_stub/calls/${callId}/notifications`, undefined, { token: TOKEN })
	).json()) as Journal;

async function callWithThree(hook: string) {
	const callId = uniqueCallId("delivery");
	await putCallConfig(callId, { callbackUri: `${receiverUrl()}${hook}`, progression: { default: TERMINAL_SOON } });
	for (const id of ["op-1", "op-2", "op-3"]) await create(callId, { id }, { token: TOKEN });
	return callId;
}

describe("notification delivery", () => {
	it("retries a failing head and delivers nothing after it until it is acknowledged, then all in order", async () => {
		const hook = `/hook-${uniqueCallId()}`;
		await failFirst(hook, 2, 503);
		const callId = await callWithThree(hook);

		await fastForward(callId); // first attempt of #1 fails: #2 and #3 wait
		expect((await receivedAt(hook)).map((r) => r.headers["x-stub-notification-sequence"])).toEqual(["1"]);
		await fastForward(callId); // second attempt of #1 fails
		await fastForward(callId); // third succeeds, then #2 and #3
		const received = await receivedAt(hook);
		expect(received.map((r) => [r.headers["x-stub-notification-sequence"], r.answeredWith])).toEqual([
			["1", 503],
			["1", 503],
			["1", 202],
			["2", 202],
			["3", 202],
		]);
		expect(received.slice(2).map((r) => notificationOf(r).value[0]?.resourceData.id)).toEqual(["op-1", "op-2", "op-3"]);

		const journal = await journalOf(callId);
		expect(journal.value.map((n) => [n.sequence, n.operationId, n.state, n.attempts.length])).toEqual([
			[1, "op-1", "delivered", 3],
			[2, "op-2", "delivered", 1],
			[3, "op-3", "delivered", 1],
		]);
		expect(journal.value[0]?.attempts.map((a) => a.status)).toEqual([503, 503, 202]);
	});

	it("parks a notification as failed after DELIVERY_MAX_ATTEMPTS and goes on with the next", async () => {
		const hook = `/hook-${uniqueCallId()}`;
		const limit = Number(env.DELIVERY_MAX_ATTEMPTS);
		await failFirst(hook, limit, 500);
		const callId = await callWithThree(hook);
		for (let i = 0; i < limit; i++) await fastForward(callId);
		const journal = await journalOf(callId);
		expect(journal.value.map((n) => n.state)).toEqual(["failed", "delivered", "delivered"]);
		expect(journal.value[0]?.attempts).toHaveLength(limit);
	});

	it("waits for the backoff before the next attempt", async () => {
		const hook = `/hook-${uniqueCallId()}`;
		await failFirst(hook, 1, 500);
		const callId = await callWithThree(hook);
		await fastForward(callId);
		const stub = await callStub(callId);
		await runInDurableObject(stub, (_, state) => {
			state.storage.sql.exec("UPDATE outbox SET next_attempt_at = ? WHERE id = 1", Date.now() + 3_600_000);
		});
		await runDurableObjectAlarm(stub);
		expect(await receivedAt(hook)).toHaveLength(1);
		expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeGreaterThan(
			Date.now() + 3_000_000,
		);
	});

	it("retries a callback that cannot be reached and records the error", async () => {
		const callId = uniqueCallId("unreachable");
		await putCallConfig(callId, {
			callbackUri: "http://127.0.0.1:9/nothing-listens",
			progression: { default: TERMINAL_SOON },
		});
		await create(callId, {}, { token: TOKEN });
		await fastForward(callId);
		const [notification] = (await journalOf(callId)).value;
		expect(notification?.state).toBe("pending");
		expect(notification?.attempts[0]).toMatchObject({ status: null });
	});
});

describe("backoffMs", () => {
	it("doubles from the base with jitter between half and all of it, up to a minute", () => {
		expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, 500, 1))).toEqual([500, 1000, 2000, 4000]);
		expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, 500, 0))).toEqual([250, 500, 1000, 2000]);
		expect(backoffMs(20, 500, 1)).toBe(60_000);
		expect(backoffMs(3, 500, 0.5)).toBeGreaterThanOrEqual(1000);
	});
});
