import type { ApiVersion } from "../../schema/api-version";
import { enqueue, notificationsEnvelope } from "../notifications/outbox";
import type { StoredCall } from "./call-store";

// A call-state notification in the shape real Graph traffic has (dashed lower-case ids, `resourceUrl`
// plus the legacy `resource`, lower-camel enum values, numeric resultInfo), in the version the call
// speaks, queued with the call's operation notifications so that the bot hears everything about the call
// in one order.

export type CallChange = "created" | "updated" | "deleted";

export const callResourceUrl = (callId: string) => `/communications/calls/${encodeURIComponent(callId)}`;

export function callNotificationPayload(
	callId: string,
	changeType: CallChange,
	resourceData: unknown,
	version: ApiVersion,
): string {
	return notificationsEnvelope(changeType, callResourceUrl(callId), resourceData, version);
}

type Now = { nowMs: number; nowIso: string };

/** Queues a notification about the call to `callbackUri` (the call's own unless another is given). */
export function notifyCall(
	sql: SqlStorage,
	call: StoredCall,
	changeType: CallChange,
	now: Now,
	resourceData: unknown = call.document,
	callbackUri = call.callbackUri,
): void {
	const callId = call.document.id;
	enqueue(
		sql,
		{
			operationId: "",
			changeType,
			payload: callNotificationPayload(callId, changeType, resourceData, call.version),
			resourceUrl: callResourceUrl(callId),
			callbackUri,
		},
		now.nowMs,
		now.nowIso,
	);
}
