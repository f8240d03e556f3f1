import type { CallRef } from "../call-results";

// The stored last activity only serves a 24 h expiry: it is written at most once a second (each
// write costs a page in the commit); the exact value is kept in memory.
const RESOLUTION_MS = 1000;

type CallInfoRow = { namespace: string; call_id: string; last_activity: string };

/** A call's identity and last activity (its call_info row): a call exists from its first write on. */
export class ActivityLog {
	private last: string | undefined;
	private storedMs: number | undefined;

	constructor(private readonly sql: SqlStorage) {}

	record(call: CallRef, now: string): void {
		this.last = now;
		const nowMs = Date.parse(now);
		if (this.storedMs !== undefined && nowMs - this.storedMs < RESOLUTION_MS) return;
		this.sql.exec(
			`INSERT INTO call_info (only_row, namespace, call_id, last_activity) VALUES (1, ?, ?, ?)
			 ON CONFLICT (only_row) DO UPDATE SET last_activity = excluded.last_activity`,
			call.namespace,
			call.callId,
			now,
		);
		this.storedMs = nowMs;
	}

	info(): CallInfoRow | undefined {
		return this.sql.exec<CallInfoRow>("SELECT namespace, call_id, last_activity FROM call_info").toArray()[0];
	}

	/** The exact last activity while this instance lives, else the stored one. */
	lastActivity(info: CallInfoRow): string {
		return this.last ?? info.last_activity;
	}
}
