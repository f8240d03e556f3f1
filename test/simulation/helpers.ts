import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { tokenHashNamespace as testerNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import { ORIGIN, send } from "../helpers/graph";

export const receiverUrl = () => inject("receiverUrl");

export type Received = { path: string; headers: Record<string, string>; body: string; answeredWith: number };

/** What the loopback receiver got on `path`, in arrival order. */
export const receivedAt = async (path: string) =>
	(await (await fetch(`${receiverUrl()}/_records${path}`)).json()) as Received[];

/** Makes the receiver fail the first `failFirst` notifications to `path` with `status`. */
export const failFirst = (path: string, failFirst: number, status = 500) =>
	fetch(`${receiverUrl()}/_control${path}`, { method: "POST", body: JSON.stringify({ failFirst, status }) });

export const putCallConfig = (callId: string, config: unknown, token = "sim-token") =>
	send("PUT", `${ORIGIN}/_stub/calls/${callId}/config`, config, { token });

export async function callStub(callId: string, token = "sim-token") {
	return callObject(env, await testerNamespace(token), callId);
}

/** Makes every scheduled transition and pending retry due now, then runs the call's alarm once. */
export async function fastForward(callId: string, token = "sim-token") {
	const stub = await callStub(callId, token);
	await runInDurableObject(stub, (_, state) => {
		state.storage.sql.exec("UPDATE transitions SET due_at = 0");
		state.storage.sql.exec("UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'");
	});
	return runDurableObjectAlarm(stub);
}

export type Notification = {
	"@odata.type": string;
	value: {
		"@odata.type": string;
		changeType: string;
		resourceUrl: string;
		resourceData: Record<string, unknown> & { id: string; status: string; "@odata.id": string };
	}[];
};

export const notificationOf = (received: Received) => JSON.parse(received.body) as Notification;
