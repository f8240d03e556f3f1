import type { ApiVersion } from "../../schema/api-version";
import type { CallContext } from "../call/call-context";
import { enqueue, lowerCamel, notificationsEnvelope } from "../notifications/outbox";
import { patchedDocument } from "../operations/operation-document";
import { findOperation } from "../operations/operation-store";
import { markDone } from "./action-store";

// An action-made operation's finish: its stored document changes and the bot hears one `deleted`
// notification to the call's own callbackUri, shaped as Graph's playPrompt and recordResponse examples
// show it (`@odata.id` and `@odata.etag` after the type; dashed ids as real traffic has them), in the
// version the call speaks.

/** Where an action-made operation's notifications go, and the version they are shaped for. */
export type CallRef = { callId: string; callbackUri: string | null; version: ApiVersion };

/**
 * An opaque weak ETag that changes whenever the operation does (*inferred*: Graph's examples show
 * `W/"54451"` without saying what it counts): the time of the operation's last change, in milliseconds.
 */
const etagOf = (lastActionDateTime: unknown) => `W/"${Date.parse(String(lastActionDateTime)) || 0}"`;

export function operationNotificationPayload(
	call: Pick<CallRef, "callId" | "version">,
	operationJson: string,
	changeType: string,
) {
	const {
		"@odata.type": type,
		createdDateTime: _c,
		lastActionDateTime,
		...operation
	} = JSON.parse(operationJson) as Record<string, unknown> & { id: string; status: string };
	const path = `/calls/${encodeURIComponent(call.callId)}/operations/${encodeURIComponent(operation.id)}`;
	const resourceUrl = `/communications${path}`;
	const resourceData = {
		"@odata.type": type,
		"@odata.id": resourceUrl,
		"@odata.etag": etagOf(lastActionDateTime),
		...operation,
		status: lowerCamel(operation.status),
	};
	return notificationsEnvelope(changeType, resourceUrl, resourceData, call.version);
}

export function enqueueOperationNotification(
	sql: SqlStorage,
	call: CallRef,
	operationId: string,
	operationJson: string,
	changeType: "updated" | "deleted",
	now: { nowMs: number; nowIso: string },
): void {
	const payload = operationNotificationPayload(call, operationJson, changeType);
	const row = { operationId, changeType, payload, resourceUrl: null, callbackUri: call.callbackUri };
	enqueue(sql, row, now.nowMs, now.nowIso);
}

export type Ending = { status: "completed" | "failed"; changes?: [string, unknown][] };

/**
 * The operation ends: stored terminal, marked done, `deleted` to the call's callbackUri. An operation the
 * tester deleted meanwhile (DELETE …/operations/{id}) ends silently.
 */
export function finishOperation(
	sql: SqlStorage,
	call: CallRef,
	operationId: string,
	ending: Ending,
	ctx: CallContext,
): void {
	markDone(sql, operationId);
	const row = findOperation(sql, operationId);
	if (!row) return;
	const body = patchedDocument(row.body, [["status", ending.status], ...(ending.changes ?? [])], ctx.nowIso);
	sql.exec("UPDATE operations SET body = ? WHERE seq = ?", body, row.seq);
	enqueueOperationNotification(sql, call, operationId, body, "deleted", ctx);
}
