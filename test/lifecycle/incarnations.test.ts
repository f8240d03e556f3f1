import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { alarmOf, freshCall, makeIdle, makeIdleAfresh, newOperation, TTL_MS, userTables } from "./helpers";

// A reset or an expiry starts a new incarnation of the call; nothing from before it may land after it,
// and nothing acknowledged after it may be lost.

describe("a reset while a call's first write registers", () => {
	it("applies the write that arrived after the reset to the new incarnation: sequence 1, registered, armed", async () => {
		const { callId, stub, registry } = freshCall("ns-reset-registering");
		const [a, , b] = await Promise.all([
			stub.createOperation(newOperation("a")),
			stub.reset(),
			stub.createOperation(newOperation("b")),
		]);
		expect(a.ok).toBe(true);
		expect(b).toMatchObject({ ok: true, value: { seq: 1 } });
		expect(await stub.getOperation("a")).toMatchObject({ ok: false, error: "operationNotFound" });
		expect(await stub.getOperation("b")).toMatchObject({ ok: true, value: { seq: 1 } });
		expect(await registry.callIds()).toContain(callId);
		expect(await stub.summary()).toMatchObject({ callId, operationCount: 1 });
		expect(Math.abs(((await alarmOf(stub)) ?? 0) - (Date.now() + TTL_MS))).toBeLessThan(60_000);
	});

	it("does the same for a configuration set after the reset", async () => {
		const { callId, stub, registry } = freshCall("ns-reset-config");
		const configured: Promise<unknown>[] = [
			stub.setConfig({ callbackUri: "https://bot.example/a" }),
			stub.reset(),
			stub.setConfig({ callbackUri: "https://bot.example/b" }),
		];
		await Promise.all(configured);
		expect((await stub.getConfig()).own).toEqual({ callbackUri: "https://bot.example/b" });
		expect(await registry.callIds()).toContain(callId);
		expect(await alarmOf(stub)).not.toBeNull();
	});
});

describe("expiry", () => {
	it("never wipes a write it acknowledged: a create racing the expiring alarm is kept", async () => {
		const { callId, stub, registry } = freshCall("ns-expiry-race");
		expect((await stub.createOperation(newOperation("old"))).ok).toBe(true);
		await makeIdleAfresh(stub);
		const [, late] = await Promise.all([runDurableObjectAlarm(stub), stub.createOperation(newOperation("late"))]);
		expect(late.ok).toBe(true);
		expect(await stub.getOperation("late")).toMatchObject({ ok: true });
		expect(await stub.getOperation("old")).toMatchObject({ ok: false, error: "operationNotFound" });
		expect(await registry.callIds()).toContain(callId);
	});

	it("waits the stored time's resolution (a second) longer, so it never comes before the TTL after a write", async () => {
		const { stub } = freshCall("ns-expiry-early");
		await stub.createOperation(newOperation("x"));
		// The stored last activity may lag the last write by up to a second: here it is half a second past due.
		await runInDurableObject(stub, (_, state) => {
			state.storage.sql.exec(
				"UPDATE call_info SET last_activity = ?",
				new Date(Date.now() - TTL_MS - 500).toISOString(),
			);
		});
		await runDurableObjectAlarm(stub);
		expect(await stub.getOperation("x")).toMatchObject({ ok: true });
	});

	it("expires a call that was configured but never written, and its registry forgets it", async () => {
		const { callId, stub, registry } = freshCall("ns-expiry-configured");
		await stub.setConfig({ callbackUri: "https://bot.example/cb" });
		expect(await registry.callIds()).toContain(callId);
		await makeIdle(stub);
		expect(await runDurableObjectAlarm(stub)).toBe(true);
		expect(await registry.callIds()).not.toContain(callId);
		expect(await runInDurableObject(stub, (_, state) => userTables(state))).toEqual([]);
		expect((await stub.getConfig()).own).toBeNull();
	});

	it("has the registry forget a call whose only create was faulted, once it expires", async () => {
		const { callId, stub, registry } = freshCall("ns-expiry-faulted");
		await stub.setConfig({ faults: { seed: 1, rules: [{ route: "create", status: 503 }] } });
		expect(await stub.createOperation(newOperation("x"))).toMatchObject({ ok: false, error: "fault" });
		await stub.setConfig(undefined);
		await makeIdle(stub);
		await runDurableObjectAlarm(stub);
		expect(await registry.callIds()).not.toContain(callId);
	});

	it("keeps a configured call that was active within its TTL", async () => {
		const { callId, stub, registry } = freshCall("ns-expiry-kept");
		await stub.setConfig({ callbackUri: "https://bot.example/cb" });
		await runDurableObjectAlarm(stub);
		expect((await stub.getConfig()).own).toEqual({ callbackUri: "https://bot.example/cb" });
		expect(await registry.callIds()).toContain(callId);
	});
});

describe("writes to a call that does not exist", () => {
	it("registers nothing for a delete or a patch of an operation of an unknown call", async () => {
		const { callId, stub, registry } = freshCall("ns-unknown-writes");
		expect(await stub.deleteOperation("x")).toMatchObject({ ok: false, error: "callNotFound" });
		expect(await stub.patchOperation("x", "beta", { status: "Completed" })).toMatchObject({
			ok: false,
			error: "callNotFound",
		});
		expect(await registry.callIds()).not.toContain(callId);
		expect(await stub.summary()).toBeUndefined();
	});
});

describe("the reset protocol", () => {
	it("is owned by the object: a reset empties it and its registry forgets it", async () => {
		const { callId, stub, registry } = freshCall("ns-reset-protocol");
		await stub.createOperation(newOperation("x"));
		await stub.reset();
		expect(await registry.callIds()).not.toContain(callId);
		expect(await runInDurableObject(stub, (_, state) => userTables(state))).toEqual([]);
		expect(await alarmOf(stub)).toBeNull();
	});

	it("names the call from the object's own name", async () => {
		const { callId, stub } = freshCall("ns-own-name");
		await stub.createOperation(newOperation("x"));
		expect((await stub.summary())?.callId).toBe(callId);
		const stored = await runInDurableObject(stub, (_, state) =>
			state.storage.sql.exec<{ namespace: string; call_id: string }>("SELECT namespace, call_id FROM call_info").one(),
		);
		expect(stored).toEqual({ namespace: "ns-own-name", call_id: callId });
	});
});

describe("PATCH validation", () => {
	it("validates a patch against the operation's type as stored when the patch applies", async () => {
		const { stub } = freshCall("ns-patch-type");
		await stub.createOperation(newOperation("x", "playPromptOperation"));
		// Arriving in this order: the id is deleted and re-created as a recordOperation before the patch.
		const [, , patched] = await Promise.all([
			stub.deleteOperation("x"),
			stub.createOperation(newOperation("x", "recordOperation")),
			stub.patchOperation("x", "beta", { completionReason: "stopToneDetected" }),
		]);
		expect(patched.ok && JSON.parse(patched.value.json)).toMatchObject({
			"@odata.type": "#microsoft.graph.recordOperation",
			completionReason: "stopToneDetected",
		});
		const refused = await stub.patchOperation("x", "beta", { completionReason: "completedSuccessfully" });
		expect(refused).toMatchObject({ ok: false, error: "invalid" });
	});

	it("refuses an invalid patch with 400 before the fault plan counts it", async () => {
		const { stub } = freshCall("ns-patch-fault");
		await stub.createOperation(newOperation("x", "playPromptOperation"));
		await stub.setConfig({ faults: { seed: 1, rules: [{ route: "patch", nth: 1, status: 503 }] } });
		expect(await stub.patchOperation("x", "beta", { status: "Bogus" })).toMatchObject({ ok: false, error: "invalid" });
		expect(await stub.patchOperation("x", "beta", { status: "Running" })).toMatchObject({ ok: false, error: "fault" });
		expect(await stub.patchOperation("x", "beta", { status: "Running" })).toMatchObject({ ok: true });
	});
});
