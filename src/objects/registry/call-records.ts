import { type CallRecord, mergedRecord } from "../../calls/call-record";

// The `call_records` table of a namespace's registry (migration 0005): each ended call's record by its
// callChainId, readable from a delay after the call ended until the call TTL after that; at most
// MAX_CALL_RECORDS, the oldest dropped first. Expired rows go whenever a record is filed.

export const MAX_CALL_RECORDS = 1000;

type Row = { body: string; available_at: number; expires_at: number };

/** Files a record (merged into one of the same id that is still kept); then the table is pruned to its bounds. */
export function fileRecord(sql: SqlStorage, record: CallRecord, availableAt: number, expiresAt: number): void {
	sql.exec("DELETE FROM call_records WHERE expires_at <= ?", Date.now());
	const before = sql.exec<Row>("DELETE FROM call_records WHERE id = ? RETURNING body", record.id).toArray()[0];
	const body = before ? mergedRecord(JSON.parse(before.body) as CallRecord, record) : record;
	sql.exec(
		"INSERT INTO call_records (id, body, available_at, expires_at) VALUES (?, ?, ?, ?)",
		record.id,
		JSON.stringify(body),
		availableAt,
		expiresAt,
	);
	sql.exec(
		"DELETE FROM call_records WHERE seq <= (SELECT seq FROM call_records ORDER BY seq DESC LIMIT 1 OFFSET ?)",
		MAX_CALL_RECORDS,
	);
}

/** The record of `id` if it is readable now: not before its delay, not after its TTL. */
export function readableRecord(sql: SqlStorage, id: string, nowMs: number): CallRecord | undefined {
	const row = sql.exec<Row>("SELECT body, available_at, expires_at FROM call_records WHERE id = ?", id).toArray()[0];
	if (!row || row.available_at > nowMs || row.expires_at <= nowMs) return undefined;
	return JSON.parse(row.body) as CallRecord;
}
