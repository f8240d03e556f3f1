import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { tokenHashNamespace as testerNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import type { CallTimer } from "../../src/objects/call/call-states";
import { json, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { type Received, receivedAt, receiverUrl } from "../simulation/helpers";

/** A tester of its own per test: its own namespace, its own configuration and its own webhook path. */
export function newTester(label = "bot") {
	const token = `calls-${uniqueCallId(label)}`;
	const hook = `/hook-${uniqueCallId(label)}`;
	return { token, hook, callbackUri: `${receiverUrl()}${hook}` };
}
export type Tester = ReturnType<typeof newTester>;

export const callsUrl = (version = "v1.0") => `${ORIGIN}/${version}/communications/calls`;
export const callUrl = (callId: string, version = "v1.0") => `${callsUrl(version)}/${callId}`;

export const SERVICE_HOSTED = { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" };
export const TARGET = {
	"@odata.type": "#microsoft.graph.invitationParticipantInfo",
	identity: {
		"@odata.type": "#microsoft.graph.identitySet",
		user: { id: "8a34a46b-0000-4000-8000-000000000001", displayName: "Callee" },
	},
};

/** Graph's minimal P2P create body (v1.0 docs, example 1), to the tester's webhook. */
export const newCallBody = (tester: Tester, extra: Record<string, unknown> = {}) => ({
	"@odata.type": "#microsoft.graph.call",
	callbackUri: tester.callbackUri,
	targets: [TARGET],
	requestedModalities: ["audio"],
	mediaConfig: SERVICE_HOSTED,
	...extra,
});

/**
 * Sets the namespace's configuration. Calls wait an hour for their steps unless told otherwise, so no
 * step happens by itself during a test: the test makes them due with `advance`.
 */
export const configure = (tester: Tester, config: Record<string, unknown> = {}) =>
	send("PUT", `${ORIGIN}/_stub/config`, { calling: { setupMs: 3_600_000 }, ...config }, { token: tester.token });

export async function createCall(tester: Tester, extra: Record<string, unknown> = {}, version = "v1.0") {
	const response = await send("POST", callsUrl(version), newCallBody(tester, extra), { token: tester.token });
	expect(response.status).toBe(201);
	return (await json(response)) as Record<string, unknown> & { id: string };
}

export async function startIncoming(tester: Tester, body: Record<string, unknown> = {}) {
	const response = await send(
		"POST",
		`${ORIGIN}/_stub/incoming-calls`,
		{ callbackUri: tester.callbackUri, ...body },
		{ token: tester.token },
	);
	expect(response.status).toBe(201);
	return (await json(response)) as Record<string, unknown> & { id: string };
}

export async function callStub(tester: Tester, callId: string) {
	return callObject(env, await testerNamespace(tester.token), callId);
}

/** Makes the call's timers of these kinds (all by default) due now and wakes its alarm. */
export async function advance(tester: Tester, callId: string, ...kinds: CallTimer[]) {
	await runInDurableObject(await callStub(tester, callId), async (_, state) => {
		const now = Date.now(); // not 0: an alarm running meanwhile sets its next wake-up from these times
		if (kinds.length === 0) state.storage.sql.exec("UPDATE call_timers SET due_at = ?", now);
		for (const kind of kinds) state.storage.sql.exec("UPDATE call_timers SET due_at = ? WHERE kind = ?", now, kind);
		await state.storage.setAlarm(now);
	});
}

export const timersOf = async (tester: Tester, callId: string) =>
	runInDurableObject(await callStub(tester, callId), (_, state) =>
		state.storage.sql
			.exec<{ kind: string; due_at: number }>("SELECT kind, due_at FROM call_timers ORDER BY due_at, id")
			.toArray(),
	);

export type CallNotification = {
	"@odata.type": string;
	changeType: string;
	resource: string;
	resourceUrl: string;
	resourceData: Record<string, unknown>;
};

/** Waits until the tester's webhook has received `count` notifications; returns each one's single value. */
export async function received(tester: Tester, count: number): Promise<CallNotification[]> {
	let got: Received[] = [];
	await vi.waitFor(
		async () => {
			got = await receivedAt(tester.hook);
			expect(got.length).toBeGreaterThanOrEqual(count);
		},
		{ timeout: 10_000, interval: 20 },
	);
	return got.map((one) => {
		const body = JSON.parse(one.body) as { value: CallNotification[] };
		expect(body.value).toHaveLength(1);
		return body.value[0] as CallNotification;
	});
}

/** `state` of each notification (and `deleted:` before a deletion's), to compare a flow in one line. */
export const statesOf = (notifications: CallNotification[]) =>
	notifications.map((n) => `${n.changeType}:${String(n.resourceData.state ?? "-")}`);
