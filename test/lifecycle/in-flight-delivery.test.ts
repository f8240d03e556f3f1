import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { create, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { callStub, fastForward, putCallConfig, receivedAt, receiverUrl } from "../simulation/helpers";

const TOKEN = "sim-token";
const COMPLETE_LATER = { default: [{ status: "Completed", afterMs: 100_000, resultInfo: { code: 200, subcode: 0 } }] };

type Journal = {
	value: { sequence: number; operationId: string; state: string; attempts: { status: number | null }[] }[];
};
const journalOf = async (callId: string) =>
	(await (
		await send("GET", `${ORIGIN}/_stub/calls/${callId}/notifications`, undefined, { token: TOKEN })
	).json()) as Journal;

/** Makes the receiver hold the next POST to `hook` for `ms` before it answers 503. */
const hangNext = (hook: string, ms: number) =>
	fetch(`${receiverUrl()}/_control${hook}`, {
		method: "POST",
		body: JSON.stringify({ failFirst: 1, status: 503, hangMs: ms }),
	});

async function until(check: () => Promise<boolean>) {
	for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("a reset while a notification is in flight", () => {
	it("records nothing of the old call's POST in the new call, whose delivery goes on", async () => {
		const callId = uniqueCallId("inflight");
		const hook = `/hook-${callId}`;
		const config = { callbackUri: `${receiverUrl()}${hook}`, progression: COMPLETE_LATER };
		await putCallConfig(callId, config);
		await hangNext(hook, 1500);
		await create(callId, { id: "old-op" }, { token: TOKEN });
		const stub = await callStub(callId);
		await runInDurableObject(stub, (_, state) => state.storage.sql.exec("UPDATE transitions SET due_at = 0"));
		const hanging = runDurableObjectAlarm(stub); // POSTs old-op's notification; the receiver holds it
		await until(async () => (await receivedAt(hook)).length === 1);

		expect((await send("DELETE", `${ORIGIN}/_stub/calls/${callId}`, undefined, { token: TOKEN })).status).toBe(204);
		await putCallConfig(callId, config);
		await create(callId, { id: "new-op-1" }, { token: TOKEN });
		await fastForward(callId); // the new incarnation's notification 1
		expect(await hanging).toBe(true); // the old POST is answered (503) after the new one went out

		await create(callId, { id: "new-op-2" }, { token: TOKEN });
		await fastForward(callId);
		const journal = await journalOf(callId);
		expect(journal.value.map((n) => [n.sequence, n.operationId, n.state, n.attempts.map((a) => a.status)])).toEqual([
			[1, "new-op-1", "delivered", [202]],
			[2, "new-op-2", "delivered", [202]],
		]);
		const ids = (await receivedAt(hook)).map((r) => JSON.parse(r.body).value[0].resourceData.id);
		expect(ids).toEqual(["old-op", "new-op-1", "new-op-2"]);
	});
});
