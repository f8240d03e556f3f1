// The `calls` table of a namespace's registry: each call numbered in the order it registered.

export type ListedCall = { seq: number; callId: string };
type CallRow = { seq: number; call_id: string };

const listed = (row: CallRow): ListedCall => ({ seq: row.seq, callId: row.call_id });

/** A call that registers again while it is still listed keeps its number. */
export function addCall(sql: SqlStorage, callId: string, nowIso: string): void {
	sql.exec("INSERT OR IGNORE INTO calls (call_id, registered_at) VALUES (?, ?)", callId, nowIso);
}

export function removeCall(sql: SqlStorage, callId: string): void {
	sql.exec("DELETE FROM calls WHERE call_id = ?", callId);
}

/**
 * Up to `top` calls numbered below `beforeSeq` and above `hiddenThrough`, newest first, and whether more
 * follow: one range of the primary key, so a page costs the same however many calls the namespace has.
 */
export function callPage(sql: SqlStorage, beforeSeq: number, hiddenThrough: number, top: number) {
	const cursor = sql.exec<CallRow>(
		"SELECT seq, call_id FROM calls WHERE seq < ? AND seq > ? ORDER BY seq DESC LIMIT ?",
		beforeSeq,
		hiddenThrough,
		top + 1,
	);
	const rows = cursor.toArray();
	return { calls: rows.slice(0, top).map(listed), more: rows.length > top, rowsRead: cursor.rowsRead };
}

/** The newest number handed out so far (0 before the first call). */
export const newestSeq = (sql: SqlStorage): number =>
	sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM calls").one().seq ?? 0;

export const countThrough = (sql: SqlStorage, throughSeq: number, afterSeq: number): number =>
	sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM calls WHERE seq <= ? AND seq > ?", throughSeq, afterSeq).one().n;

export function allCallIds(sql: SqlStorage): string[] {
	return sql
		.exec<CallRow>("SELECT seq, call_id FROM calls ORDER BY seq DESC")
		.toArray()
		.map((row) => row.call_id);
}
