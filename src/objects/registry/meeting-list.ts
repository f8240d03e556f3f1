// The `meetings` table of a namespace's registry: each meeting numbered in the order it was made.

type ListedMeeting = { seq: number; meetingId: string };
type MeetingRow = { seq: number; meeting_id: string };

/** `added`: listed now; `listed`: it already was; `full`: the namespace holds `cap` meetings (nothing changed). */
export type MeetingClaim = "added" | "listed" | "full";

/** Lists a meeting unless the namespace is full: one check and one write, so racing claims never pass `cap`. */
export function claimMeeting(sql: SqlStorage, meetingId: string, cap: number, nowIso: string): MeetingClaim {
	if (isListedMeeting(sql, meetingId)) return "listed";
	if (sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM meetings").one().n >= cap) return "full";
	sql.exec("INSERT INTO meetings (meeting_id, listed_at) VALUES (?, ?)", meetingId, nowIso);
	return "added";
}

export const isListedMeeting = (sql: SqlStorage, meetingId: string): boolean =>
	sql.exec("SELECT 1 FROM meetings WHERE meeting_id = ?", meetingId).toArray().length > 0;

export function unlistMeeting(sql: SqlStorage, meetingId: string): void {
	sql.exec("DELETE FROM meetings WHERE meeting_id = ?", meetingId);
}

/** Up to `top` meetings numbered below `beforeSeq`, newest first, and whether more follow (one key range). */
export function meetingPage(sql: SqlStorage, beforeSeq: number, top: number) {
	const cursor = sql.exec<MeetingRow>(
		"SELECT seq, meeting_id FROM meetings WHERE seq < ? ORDER BY seq DESC LIMIT ?",
		beforeSeq,
		top + 1,
	);
	const rows = cursor.toArray();
	const meetings = rows.slice(0, top).map((row): ListedMeeting => ({ seq: row.seq, meetingId: row.meeting_id }));
	return { meetings, more: rows.length > top, rowsRead: cursor.rowsRead };
}
