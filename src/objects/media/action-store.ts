import type { ActionRequest, Finish } from "./action-request";

// The call's action-made operations and its media queue (migrations/call/0006_create_media.sql).

export type ActionRow = {
	seq: number;
	operation_id: string;
	action: string;
	queued: number;
	position: number;
	state: "queued" | "running" | "done";
	started_at: number | null;
	finish: string;
	/** The recording's whole URL (recordResponse), sealed by the Worker; the column's name is from before. */
	recording_base: string;
};

/** Done rows kept per call: enough for a tester to read back, bounded. */
const KEPT_DONE = 100;

export const finishOf = (row: ActionRow) => JSON.parse(row.finish) as Finish;

export function insertAction(sql: SqlStorage, request: ActionRequest, operationId: string, queued: boolean): void {
	const bargeIn = request.finish.kind === "record" && request.finish.bargeIn;
	const { p } = sql
		.exec<{ p: number | null }>(
			bargeIn
				? "SELECT MIN(position) - 1 AS p FROM action_operations WHERE state != 'done'"
				: "SELECT MAX(position) + 1 AS p FROM action_operations",
		)
		.one();
	sql.exec(
		`INSERT INTO action_operations (operation_id, action, queued, position, state, finish, recording_base)
		 VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
		operationId,
		request.name,
		queued ? 1 : 0,
		p ?? 0,
		JSON.stringify(request.finish),
		request.recordingLocation,
	);
}

export const findAction = (sql: SqlStorage, operationId: string) =>
	sql.exec<ActionRow>("SELECT * FROM action_operations WHERE operation_id = ?", operationId).toArray()[0];

/** The media queue's running operation, if any. */
export const runningMedia = (sql: SqlStorage) =>
	sql.exec<ActionRow>("SELECT * FROM action_operations WHERE queued = 1 AND state = 'running'").toArray()[0];

/** The next queued media operation: lowest position (a barge-in went before the others), then arrival. */
export const nextMedia = (sql: SqlStorage) =>
	sql
		.exec<ActionRow>(
			"SELECT * FROM action_operations WHERE queued = 1 AND state = 'queued' ORDER BY position, seq LIMIT 1",
		)
		.toArray()[0];

/** Every unfinished media operation, running first, then in queue order. */
export const unfinishedMedia = (sql: SqlStorage) =>
	sql
		.exec<ActionRow>(
			"SELECT * FROM action_operations WHERE queued = 1 AND state != 'done' ORDER BY state = 'queued', position, seq",
		)
		.toArray();

export const unfinishedActions = (sql: SqlStorage) =>
	sql
		.exec<ActionRow>("SELECT * FROM action_operations WHERE state != 'done' ORDER BY state = 'queued', position, seq")
		.toArray();

export function markRunning(sql: SqlStorage, operationId: string, nowMs: number): void {
	sql.exec("UPDATE action_operations SET state = 'running', started_at = ? WHERE operation_id = ?", nowMs, operationId);
}

export function markDone(sql: SqlStorage, operationId: string): void {
	sql.exec("UPDATE action_operations SET state = 'done' WHERE operation_id = ?", operationId);
	sql.exec(
		`DELETE FROM action_operations WHERE state = 'done' AND seq <=
		 (SELECT seq FROM action_operations WHERE state = 'done' ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
		KEPT_DONE,
	);
}

/** The participants that running invites will add when they finish: they count against MAX_PARTICIPANTS now. */
export const pendingInvitees = (sql: SqlStorage) =>
	unfinishedActions(sql).reduce((sum, row) => {
		const finish = finishOf(row);
		return sum + (finish.kind === "after" ? (finish.invitees?.length ?? 0) : 0);
	}, 0);
