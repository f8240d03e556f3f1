import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliverDue } from "../../src/objects/notifications/delivery";
import { notificationDelivery } from "../../src/objects/notifications/delivery-settings";
import { enqueueNotification } from "../../src/objects/notifications/outbox";
import { NotificationRate } from "../../src/objects/registry/notification-rate";
import { create, uniqueCallId } from "../helpers/graph";
import { callStub, notificationOf, receivedAt, receiverUrl } from "../simulation/helpers";

describe("NOTIFICATIONS_PER_MINUTE", () => {
	it("lets a burst of the limit through, then one slot every minute / limit", () => {
		const rate = new NotificationRate();
		expect([rate.take(3, 0), rate.take(3, 0), rate.take(3, 0)]).toEqual([0, 0, 0]);
		expect(rate.take(3, 0)).toBe(20_000);
		expect(rate.take(3, 19_999)).toBe(20_000);
		expect(rate.take(3, 20_000)).toBe(20_000);
		expect(rate.take(3, 20_000)).toBe(40_000);
		// A quiet minute gives the whole burst back, and no more.
		expect([rate.take(3, 200_000), rate.take(3, 200_000), rate.take(3, 200_000)]).toEqual([200_000, 200_000, 200_000]);
		expect(rate.take(3, 200_000)).toBeGreaterThan(200_000);
	});

	it("is counted per namespace by its registry", async () => {
		const registry = env.REGISTRIES.getByName(`rate-${uniqueCallId()}`);
		const other = env.REGISTRIES.getByName(`rate-${uniqueCallId()}`);
		const now = Date.now();
		expect(await registry.notificationSlot(2)).toBeLessThanOrEqual(Date.now());
		expect(await registry.notificationSlot(2)).toBeLessThanOrEqual(Date.now());
		expect(await registry.notificationSlot(2)).toBeGreaterThanOrEqual(now + 29_000);
		expect(await other.notificationSlot(2)).toBeLessThanOrEqual(Date.now());
	});

	it("over the limit, notifications wait (none dropped, none attempted) and go later in order", async () => {
		const callId = uniqueCallId();
		const hook = `/rate-${callId}`;
		await create(callId, {}, { token: "sim-token" });
		const rate = new NotificationRate();
		let clock = Date.now();
		const deliver = (sql: SqlStorage) =>
			deliverDue(
				sql,
				{
					...notificationDelivery(env, sql, { callbackUri: `${receiverUrl()}${hook}` }, "scenario"),
					// The limiter runs on the test's clock; "go" is now on the real one.
					slotAt: async () => {
						const at = rate.take(2, clock);
						return at <= clock ? Date.now() : at;
					},
				},
				() => true,
			);
		const comeBack = await runInDurableObject(await callStub(callId), async (_, state) => {
			const sql = state.storage.sql;
			for (const id of ["n-1", "n-2", "n-3"])
				enqueueNotification(sql, callId, JSON.stringify({ id, status: "Running" }), false, "v1.0", {
					nowMs: 0,
					nowIso: "",
				});
			return deliver(sql);
		});
		expect(comeBack).toBeGreaterThanOrEqual(clock + 29_000);
		const waiting = await runInDurableObject(await callStub(callId), (_, state) =>
			state.storage.sql.exec("SELECT operation_id, attempts, state FROM outbox ORDER BY id").toArray(),
		);
		expect(waiting).toEqual([
			{ operation_id: "n-1", attempts: 1, state: "delivered" },
			{ operation_id: "n-2", attempts: 1, state: "delivered" },
			{ operation_id: "n-3", attempts: 0, state: "pending" },
		]);

		clock = comeBack ?? clock;
		await runInDurableObject(await callStub(callId), (_, state) => deliver(state.storage.sql));
		const ids = (await receivedAt(hook)).map((received) => notificationOf(received).value[0]?.resourceData.id);
		expect(ids).toEqual(["n-1", "n-2", "n-3"]);
	});
});
