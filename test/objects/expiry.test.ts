import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace as testerNamespace } from "../../src/auth/token-hash";
import { callObject, registryObject } from "../../src/calls/call-object";
import { create, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";

const TTL_MS = Number(env.CALL_TTL_SECONDS) * 1000;

async function idleCall(token: string) {
	const callId = uniqueCallId();
	await create(callId, {}, { token });
	const namespace = await testerNamespace(token);
	return { callId, namespace, stub: callObject(env, namespace, callId) };
}

describe("idle expiry", () => {
	it("arms the alarm one TTL after the first write", async () => {
		const { stub } = await idleCall("expiry-arm");
		const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
		expect(alarm).not.toBeNull();
		expect(Math.abs((alarm ?? 0) - (Date.now() + TTL_MS))).toBeLessThan(60_000);
	});

	it("removes a call idle for longer than the TTL, and the registry forgets it", async () => {
		const token = "expiry-idle";
		const { callId, namespace, stub } = await idleCall(token);
		expect(await registryObject(env, namespace).callIds()).toContain(callId);
		await runInDurableObject(stub, (_, state) => {
			state.storage.sql.exec(
				"UPDATE call_info SET last_activity = ?",
				new Date(Date.now() - TTL_MS - 2000).toISOString(),
			);
		});
		expect(await runDurableObjectAlarm(stub)).toBe(true);

		expect((await send("GET", operationsUrl(callId), undefined, { token })).status).toBe(404);
		expect(await registryObject(env, namespace).callIds()).not.toContain(callId);
		const listed = (await (await send("GET", `${ORIGIN}/_stub/calls`, undefined, { token })).json()) as {
			value: unknown[];
		};
		expect(listed.value).toEqual([]);
		expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeNull();
	});

	it("re-arms instead of expiring a call that was active within the TTL", async () => {
		const token = "expiry-active";
		const { callId, stub } = await idleCall(token);
		expect(await runDurableObjectAlarm(stub)).toBe(true);
		expect((await send("GET", operationsUrl(callId), undefined, { token })).status).toBe(200);
		const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
		expect(alarm).toBeGreaterThan(Date.now());
	});
});

const userTables = (state: DurableObjectState) =>
	state.storage.sql
		.exec<{ name: string }>(
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
		)
		.toArray()
		.map((row) => row.name);

describe("storage stays bounded", () => {
	it("wipes, one TTL later, the object a read created for a call that never existed", async () => {
		const token = "probe";
		const callId = uniqueCallId();
		expect((await send("GET", operationsUrl(callId), undefined, { token })).status).toBe(404);
		const stub = callObject(env, await testerNamespace(token), callId);
		const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
		expect(Math.abs((alarm ?? 0) - (Date.now() + TTL_MS))).toBeLessThan(60_000);

		expect(await runDurableObjectAlarm(stub)).toBe(true);
		expect(await runInDurableObject(stub, (_, state) => userTables(state))).toEqual([]);
		expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeNull();
		expect((await send("GET", operationsUrl(callId), undefined, { token })).status).toBe(404);
		// The call can still come into existence afterwards.
		expect((await create(callId, {}, { token })).headers.get("x-stub-sequence")).toBe("1");
		expect(await runInDurableObject(stub, (_, state) => userTables(state))).toContain("operations");
	});

	it("leaves nothing in storage after a reset, and the next write starts afresh", async () => {
		const token = "reset-empty";
		const { callId, stub } = await idleCall(token);
		expect((await send("DELETE", `${ORIGIN}/_stub/calls/${callId}`, undefined, { token })).status).toBe(204);
		expect(await runInDurableObject(stub, (_, state) => userTables(state))).toEqual([]);
		expect((await send("GET", `${ORIGIN}/_stub/calls/${callId}/config`, undefined, { token })).status).toBe(200);
		expect(await runInDurableObject(stub, (_, state) => userTables(state))).toEqual([]);
		expect((await create(callId, {}, { token })).headers.get("x-stub-sequence")).toBe("1");
	});

	it("keeps an object that was never written but has a configuration of its own", async () => {
		const token = "configured";
		const callId = uniqueCallId();
		await send("PUT", `${ORIGIN}/_stub/calls/${callId}/config`, { callbackUri: "https://localhost/cb" }, { token });
		const stub = callObject(env, await testerNamespace(token), callId);
		await runDurableObjectAlarm(stub);
		const config = (await (
			await send("GET", `${ORIGIN}/_stub/calls/${callId}/config`, undefined, { token })
		).json()) as {
			own: unknown;
		};
		expect(config.own).toEqual({ callbackUri: "https://localhost/cb" });
	});
});
