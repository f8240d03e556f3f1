import type { ApiVersion } from "../../schema/api-version";
import type { CallState, CallTimer } from "./call-states";

/** The call document as served (minus `@odata.context`): Graph's call type is open. */
export type CallDocument = Record<string, unknown> & { id: string; state: CallState };

export type StoredCall = {
	state: CallState;
	direction: "incoming" | "outgoing";
	callbackUri: string | null;
	/** The version the call's notifications are shaped for (migration 0008). */
	version: ApiVersion;
	document: CallDocument;
};

type CallRow = {
	state: CallState;
	direction: "incoming" | "outgoing";
	callback_uri: string | null;
	api_version: ApiVersion;
	body: string;
};
export type TimerRow = { id: number; due_at: number; kind: string; detail: string };

export function loadCall(sql: SqlStorage): StoredCall | undefined {
	const row = sql
		.exec<CallRow>("SELECT state, direction, callback_uri, api_version, body FROM call_resource")
		.toArray()[0];
	if (!row) return undefined;
	return {
		state: row.state,
		direction: row.direction,
		callbackUri: row.callback_uri,
		version: row.api_version,
		document: JSON.parse(row.body) as CallDocument,
	};
}

// The reads below serve what needs less than the whole call: the columns repeat the document's state and
// callback (migration 0005) so that they need no JSON parsed.

/** Whether this object holds a call resource. */
export const hasCall = (sql: SqlStorage): boolean => sql.exec("SELECT 1 FROM call_resource").toArray().length > 0;

/** The call's state, direction, callback and version, without its document. */
export function callHead(sql: SqlStorage): Omit<StoredCall, "document"> | undefined {
	const row = sql
		.exec<Omit<CallRow, "body">>("SELECT state, direction, callback_uri, api_version FROM call_resource")
		.toArray()[0];
	return row && { state: row.state, direction: row.direction, callbackUri: row.callback_uri, version: row.api_version };
}

/** The call's document as stored (JSON, as served minus `@odata.context`), with its state. */
export const storedCallJson = (sql: SqlStorage): { state: CallState; body: string } | undefined =>
	sql.exec<{ state: CallState; body: string }>("SELECT state, body FROM call_resource").toArray()[0];

/** Stores a new call; false if this object already holds one (a reused id). */
export function insertCall(sql: SqlStorage, call: StoredCall, nowIso: string): boolean {
	const inserted = sql.exec(
		`INSERT INTO call_resource (only_row, state, direction, callback_uri, api_version, body, created_at, updated_at)
		 VALUES (1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (only_row) DO NOTHING`,
		call.state,
		call.direction,
		call.callbackUri,
		call.version,
		JSON.stringify(call.document),
		nowIso,
		nowIso,
	);
	return inserted.rowsWritten > 0;
}

export function saveCall(sql: SqlStorage, call: StoredCall, nowIso: string): void {
	sql.exec(
		"UPDATE call_resource SET state = ?, callback_uri = ?, api_version = ?, body = ?, updated_at = ?",
		call.state,
		call.callbackUri,
		call.version,
		JSON.stringify(call.document),
		nowIso,
	);
}

export function addParticipant(sql: SqlStorage, participant: { id: string } & Record<string, unknown>): void {
	sql.exec(
		"INSERT OR REPLACE INTO call_participants (id, body) VALUES (?, ?)",
		participant.id,
		JSON.stringify(participant),
	);
}

export function schedule(sql: SqlStorage, dueAt: number, kind: CallTimer, detail: object = {}): void {
	sql.exec("INSERT INTO call_timers (due_at, kind, detail) VALUES (?, ?, ?)", dueAt, kind, JSON.stringify(detail));
}

export function clearTimers(sql: SqlStorage, ...kinds: CallTimer[]): void {
	if (kinds.length === 0) sql.exec("DELETE FROM call_timers");
	else for (const kind of kinds) sql.exec("DELETE FROM call_timers WHERE kind = ?", kind);
}

export const dueTimers = (sql: SqlStorage, nowMs: number) =>
	sql.exec<TimerRow>("SELECT * FROM call_timers WHERE due_at <= ? ORDER BY due_at, id", nowMs).toArray();

export const deleteTimer = (sql: SqlStorage, id: number) => sql.exec("DELETE FROM call_timers WHERE id = ?", id);

export const nextTimerAt = (sql: SqlStorage) =>
	sql.exec<{ t: number | null }>("SELECT MIN(due_at) AS t FROM call_timers").one().t;
