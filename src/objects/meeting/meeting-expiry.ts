// A meeting's idle expiry: with no change for the namespace's TTL (CALL_TTL_SECONDS, as a call's), its
// alarm deletes it as a tester's DELETE would (every joined call ends). The last activity is kept by
// triggers in SQL (migration 0003): the meeting's creation and every change of its roster.

/** The stored activity is exact; the alarm may fire a little early or late, never the meeting before its time. */
export class MeetingExpiry {
	constructor(
		private readonly sql: SqlStorage,
		private readonly ttlMs: () => number,
	) {}

	/** When the meeting expires (ms); undefined when this object holds none. */
	at(): number | undefined {
		const row = this.sql.exec<{ last: number | null }>("SELECT last_activity_ms AS last FROM meeting").toArray()[0];
		return row?.last == null ? undefined : row.last + this.ttlMs();
	}

	due(nowMs: number): boolean {
		const at = this.at();
		return at !== undefined && at <= nowMs;
	}
}
