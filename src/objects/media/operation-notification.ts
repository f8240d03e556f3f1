import type { CallContext } from "../call/call-context";
import { enqueue, lowerCamel, notificationsEnvelope } from "../notifications/outbox";
import { patchedDocument } from "../operations/operation-document";
import { findOperation } from "../operations/operation-store";
import { markDone } from "./action-store";

// An action-made operation's finish: its stored document changes and the bot hears one `deleted`
// notification, in the real-traffic shape (dashed ids, `resource` beside `resourceUrl`, no @odata.id),
// to the call's own callbackUri.

export function operationNotificationPayload(callId: string, operationJson: string, changeType: string) {
	const {
		createdDateTime: _c,
		lastActionDateTime: _l,
		...operation
	} = JSON.parse(operationJson) as Record<string, unknown> & { id: string; status: string };
	const resourceData = { ...operation, status: lowerCamel(operation.status) };
	const path = `/calls/${encodeURIComponent(callId)}/operations/${encodeURIComponent(resourceData.id)}`;
	return notificationsEnvelope(changeType, `/communications${path}`, resourceData, `/app${path}`);
}

export function enqueueOperationNotification(
	sql: SqlStorage,
	callId: string,
	callbackUri: string | null,
	operationId: string,
	operationJson: string,
	changeType: "updated" | "deleted",
	now: { nowMs: number; nowIso: string },
): void {
	const payload = operationNotificationPayload(callId, operationJson, changeType);
	enqueue(sql, { operationId, changeType, payload, resourceUrl: null, callbackUri }, now.nowMs, now.nowIso);
}

export type Ending = { status: "completed" | "failed"; changes?: [string, unknown][] };

/**
 * The operation ends: stored terminal, marked done, `deleted` to the call's callbackUri. An operation the
 * tester deleted meanwhile (DELETE …/operations/{id}) ends silently.
 */
export function finishOperation(
	sql: SqlStorage,
	call: { callId: string; callbackUri: string | null },
	operationId: string,
	ending: Ending,
	ctx: CallContext,
): void {
	markDone(sql, operationId);
	const row = findOperation(sql, operationId);
	if (!row) return;
	const body = patchedDocument(row.body, [["status", ending.status], ...(ending.changes ?? [])], ctx.nowIso);
	sql.exec("UPDATE operations SET body = ? WHERE seq = ?", body, row.seq);
	enqueueOperationNotification(sql, call.callId, call.callbackUri, operationId, body, "deleted", ctx);
}
