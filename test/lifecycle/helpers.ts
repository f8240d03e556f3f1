import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { callObject, registryObject } from "../../src/calls/call-object";
import { serialiseProperties } from "../../src/objects/operations/operation-document";
import { uniqueCallId } from "../helpers/graph";

export const TTL_MS = Number(env.CALL_TTL_SECONDS) * 1000;

/** A fresh call of namespace `namespace`, reached over RPC as the Worker reaches it. */
export function freshCall(namespace: string) {
	const callId = uniqueCallId("life");
	return { callId, stub: callObject(env, namespace, callId), registry: registryObject(env, namespace) };
}

export const newOperation = (id: string, typeName = "commsOperation", properties: [string, unknown][] = []) => ({
	typeName,
	id,
	propertiesJson: serialiseProperties([["status", "Running"], ...properties]),
});

export const alarmOf = (stub: ReturnType<typeof freshCall>["stub"]) =>
	runInDurableObject(stub, (_, state) => state.storage.getAlarm());

/** Moves the call's stored last activity back past its TTL, so that its next alarm expires it. */
export const makeIdle = async (stub: ReturnType<typeof freshCall>["stub"]) => {
	await runInDurableObject(stub, (_, state) => {
		if (!userTables(state).includes("call_info")) return; // wiped: nothing to age
		state.storage.sql.exec(
			"UPDATE call_info SET last_activity = ?",
			new Date(Date.now() - TTL_MS - 2000).toISOString(),
		);
	});
};

/**
 * As makeIdle, on a fresh instance: the one before remembers when it last stored its activity and would
 * not store a write's within the second after (no real clock could have made the stored time stale).
 */
export async function makeIdleAfresh(stub: ReturnType<typeof freshCall>["stub"]) {
	await evictDurableObject(stub);
	await makeIdle(stub);
}

/**
 * Expires the call now: ages it, then runs its alarm until the call is gone (a real alarm of the call may
 * be running at that moment, in which case the test's run finds none scheduled and tries again).
 */
export async function expireNow(stub: ReturnType<typeof freshCall>["stub"]) {
	for (let tries = 0; tries < 200; tries++) {
		await makeIdle(stub);
		await runInDurableObject(stub, (_, state) => state.storage.setAlarm(Date.now()));
		await runDurableObjectAlarm(stub);
		if ((await stub.summary()) === undefined) return;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error("the call did not expire");
}

export const userTables = (state: DurableObjectState) =>
	state.storage.sql
		.exec<{ name: string }>(
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
		)
		.toArray()
		.map((row) => row.name);
