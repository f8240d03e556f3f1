import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { KEPT_NOTIFICATIONS } from "../../src/objects/notifications/delivery";
import { KEPT_JOURNAL_ENTRIES } from "../../src/objects/simulation/fault-screen";
import { create, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { callStub, fastForward, putCallConfig, receiverUrl } from "../simulation/helpers";
import { freshCall, newOperation } from "./helpers";

const TOKEN = "sim-token";

describe("one bad write in a batch", () => {
	it("fails alone: the writes batched with it still apply, in order", async () => {
		const { stub } = freshCall("ns-savepoint");
		await stub.createOperation(newOperation("first"));
		await runInDurableObject(stub, (_, state) =>
			state.storage.sql.exec(
				"CREATE TRIGGER refuse_boom BEFORE INSERT ON operations WHEN NEW.id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END",
			),
		);
		const outcomes = await Promise.all(["a", "boom", "c"].map((id) => stub.createOperation(newOperation(id))));
		expect(outcomes.map((o) => (o.ok ? o.value.seq : o.error))).toEqual([2, "unexpected", 3]);
		expect(await stub.countOperations()).toMatchObject({ ok: true, value: 3 });
	});
});

describe("storage stays bounded per call", () => {
	it(`keeps the newest ${KEPT_JOURNAL_ENTRIES} journal entries`, async () => {
		const callId = uniqueCallId("bounded");
		await create(callId, {}, { token: TOKEN });
		await putCallConfig(callId, { faults: { rules: [{ route: "get", status: 429, retryAfterSeconds: 60 }] } });
		const stub = await callStub(callId);
		await runInDurableObject(stub, (_, state) => {
			for (let i = 0; i < KEPT_JOURNAL_ENTRIES + 5; i++)
				state.storage.sql.exec("INSERT INTO journal (at, kind, route, detail) VALUES ('x', 'fault', 'get', '{}')");
		});
		await send("GET", `${ORIGIN}/beta/communications/calls/${callId}/operations/x`, undefined, { token: TOKEN });
		const journal = await runInDurableObject(stub, (_, state) =>
			state.storage.sql
				.exec<{ n: number; newest: number }>("SELECT COUNT(*) AS n, MAX(id) AS newest FROM journal")
				.one(),
		);
		expect(journal).toEqual({ n: KEPT_JOURNAL_ENTRIES, newest: KEPT_JOURNAL_ENTRIES + 6 });
	});

	it(`keeps the newest ${KEPT_NOTIFICATIONS} settled notifications and every pending one`, async () => {
		const callId = uniqueCallId("bounded");
		await putCallConfig(callId, {
			callbackUri: `${receiverUrl()}/hook-${callId}`,
			progression: { default: [{ status: "Completed", afterMs: 100_000 }] },
		});
		const stub = await callStub(callId);
		await runInDurableObject(stub, (_, state) => {
			for (let i = 0; i < KEPT_NOTIFICATIONS + 5; i++) {
				state.storage.sql.exec(
					"INSERT INTO outbox (operation_id, change_type, payload, state, attempts, next_attempt_at, created_at) VALUES ('o', 'deleted', '{}', 'delivered', 1, 0, 'x')",
				);
				state.storage.sql.exec(
					"INSERT INTO delivery_attempts (notification_id, attempt, at, status) VALUES (last_insert_rowid(), 1, 'x', 202)",
				);
			}
		});
		await create(callId, { id: "live" }, { token: TOKEN });
		await fastForward(callId);
		const kept = await runInDurableObject(stub, (_, state) => ({
			outbox: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n,
			attempts: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM delivery_attempts").one().n,
			live: state.storage.sql.exec<{ state: string }>("SELECT state FROM outbox WHERE operation_id = 'live'").one()
				.state,
		}));
		expect(kept).toEqual({ outbox: KEPT_NOTIFICATIONS, attempts: KEPT_NOTIFICATIONS, live: "delivered" });
	});
});

describe("counting a call's operations", () => {
	it("stays right across deletes and failed creates without reading the rows", async () => {
		const { stub } = freshCall("ns-count");
		for (const id of ["a", "b", "c", "d"]) await stub.createOperation(newOperation(id));
		await stub.createOperation(newOperation("a")); // a duplicate: refused, takes no number
		await stub.deleteOperation("b");
		await stub.deleteOperation("nope");
		expect(await stub.countOperations()).toMatchObject({ ok: true, value: 3 });
		const page = await stub.listOperations(0, 1, true);
		expect(page).toMatchObject({ ok: true, value: { count: 3 } });
		expect(page.ok && page.value.rowsRead).toBeLessThanOrEqual(4); // 2 operations (top + 1), and 2 for the count
	});
});
