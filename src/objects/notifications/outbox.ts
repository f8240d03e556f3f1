import type { ApiVersion } from "../../schema/api-version";
import { versionView } from "../../schema/version-view";

import { notificationFacts } from "./notification-facts";
/** The persisted outbox of commsNotifications: enqueued in a write's transaction, delivered in id order. */

/** Notifications use lower-camel enum values, whatever casing the synchronous answer had ("Running"). */
export const lowerCamel = (status: string) => status.charAt(0).toLowerCase() + status.slice(1);

/** The legacy name real traffic sends beside `resourceUrl`: the same path under `/app`. */
export const legacyResource = (resourceUrl: string) => resourceUrl.replace(/^\/communications\//, "/app/");

/**
 * Graph's commsNotifications envelope around one notification, `resourceUrl` with the legacy `resource`
 * beside it, and `resourceData` as the version the bot speaks declares it (the per-version view).
 */
export const notificationsEnvelope = (
	changeType: string,
	resourceUrl: string,
	resourceData: unknown,
	version: ApiVersion,
): string =>
	JSON.stringify({
		"@odata.type": "#microsoft.graph.commsNotifications",
		value: [
			{
				"@odata.type": "#microsoft.graph.commsNotification",
				changeType,
				resource: legacyResource(resourceUrl),
				resourceUrl,
				resourceData: versionView(resourceData, version),
			},
		],
	});

/** Graph's notification for an operation's new state; a terminal one is sent as `deleted`, as Graph does. */
export function notificationPayload(callId: string, operationJson: string, terminal: boolean, version: ApiVersion) {
	const operation = JSON.parse(operationJson) as Record<string, unknown> & { id: string; status: string };
	const resourceUrl = `/communications/calls/${encodeURIComponent(callId)}/operations/${encodeURIComponent(operation.id)}`;
	const resourceData = { ...operation, "@odata.id": resourceUrl, status: lowerCamel(operation.status) };
	return {
		operationId: operation.id,
		changeType: terminal ? "deleted" : "updated",
		payload: notificationsEnvelope(terminal ? "deleted" : "updated", resourceUrl, resourceData, version),
	};
}

export function enqueueNotification(
	sql: SqlStorage,
	callId: string,
	operationJson: string,
	terminal: boolean,
	version: ApiVersion,
	now: { nowMs: number; nowIso: string },
) {
	const { nowMs, nowIso } = now;
	const { operationId, changeType, payload } = notificationPayload(callId, operationJson, terminal, version);
	enqueue(sql, { operationId, changeType, payload, resourceUrl: null, callbackUri: null }, nowMs, nowIso);
}

/**
 * One notification into the call's single queue. An operation's has `operationId` and goes to the
 * configured callbackUri (`callbackUri` null); one about the call itself has its `resourceUrl` and the
 * call's own callbackUri.
 */
export function enqueue(
	sql: SqlStorage,
	row: {
		operationId: string;
		changeType: string;
		payload: string;
		resourceUrl: string | null;
		callbackUri: string | null;
	},
	nowMs: number,
	nowIso: string,
) {
	sql.exec(
		`INSERT INTO outbox (operation_id, change_type, payload, next_attempt_at, created_at, resource_url, callback_uri)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
		row.operationId,
		row.changeType,
		row.payload,
		nowMs,
		nowIso,
		row.resourceUrl,
		row.callbackUri,
	);
}

/** When the queue's head wants to go next (the alarm also wakes for it), if anything is pending. */
export const nextDeliveryAt = (sql: SqlStorage) => outboxHead(sql)?.next_attempt_at;

/** Exponential backoff with jitter: attempt 1 waits about `baseMs`, each next about twice as long, at most a minute. */
export function backoffMs(attempt: number, baseMs: number, random: number): number {
	const ceiling = Math.min(baseMs * 2 ** (attempt - 1), 60_000);
	return Math.round(ceiling * (0.5 + random / 2));
}

export type OutboxRow = {
	id: number;
	operation_id: string;
	change_type: string;
	payload: string;
	state: "pending" | "delivered" | "failed";
	attempts: number;
	next_attempt_at: number;
	created_at: string;
	resource_url: string | null;
	callback_uri: string | null;
};
type AttemptRow = {
	notification_id: number;
	attempt: number;
	at: string;
	status: number | null;
	error: string | null;
	/** The redirects an incoming call's notification met (JSON), if any: src/objects/notifications/follow-redirects.ts. */
	hops: string | null;
};

/** The head of the queue: the oldest notification neither delivered nor parked. */
export const outboxHead = (sql: SqlStorage) =>
	sql.exec<OutboxRow>("SELECT * FROM outbox WHERE state = 'pending' ORDER BY id LIMIT 1").toArray()[0];

/** The delivery journal: each notification, its state and every attempt. */
export function deliveryJournal(sql: SqlStorage) {
	const attempts = sql.exec<AttemptRow>("SELECT * FROM delivery_attempts ORDER BY notification_id, attempt").toArray();
	return sql
		.exec<OutboxRow>("SELECT * FROM outbox ORDER BY id")
		.toArray()
		.map((row) => ({ row, payload: JSON.parse(row.payload) as unknown }))
		.map(({ row, payload }) => ({
			sequence: row.id,
			// A notification about the call itself has no operation: its resourceUrl says what it is about.
			operationId: row.resource_url === null ? row.operation_id : null,
			...(row.resource_url === null ? {} : { resourceUrl: row.resource_url }),
			changeType: row.change_type,
			state: row.state,
			...notificationFacts(payload), // what it told the bot, next to whether it got there
			createdDateTime: row.created_at,
			nextAttemptDateTime: row.state === "pending" ? new Date(row.next_attempt_at).toISOString() : null,
			attempts: attempts
				.filter((a) => a.notification_id === row.id)
				.map((a) => ({
					attempt: a.attempt,
					dateTime: a.at,
					status: a.status,
					error: a.error,
					...(a.hops === null ? {} : { hops: JSON.parse(a.hops) as unknown }),
				})),
			payload,
		}));
}
