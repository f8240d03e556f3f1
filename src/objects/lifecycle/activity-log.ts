import type { CallRef } from "../call-results";

// The stored last activity only serves a 24 h expiry: it is written at most once a second (each
// write costs a page in the commit); the exact value is kept in memory.
const RESOLUTION_MS = 1000;

type CallInfoRow = {
	namespace: string;
	call_id: string;
	last_activity: string;
	written: number;
	registered: number;
	deleted_operations: number;
};

/**
 * This incarnation of the call: its identity, whether its namespace's registry knows it, whether it
 * exists (has had a write), and its last activity, in the one call_info row. The row is made when the
 * call first registers (its first create or configuration) and is gone with a reset or an expiry.
 */
export class ActivityLog {
	private row: CallInfoRow | undefined;
	private last: string | undefined;
	private storedMs: number | undefined;

	constructor(private readonly sql: SqlStorage) {
		this.row = sql.exec<CallInfoRow>("SELECT * FROM call_info").toArray()[0];
	}

	/** Makes the row of a new incarnation (a no-op when it exists), with `now` as its first activity. */
	begin(call: CallRef, now: string): void {
		if (this.row) return;
		this.row = {
			namespace: call.namespace,
			call_id: call.callId,
			last_activity: now,
			written: 0,
			registered: 0,
			deleted_operations: 0,
		};
		this.sql.exec(
			"INSERT INTO call_info (only_row, namespace, call_id, last_activity, written, registered) VALUES (1, ?, ?, ?, 0, 0)",
			call.namespace,
			call.callId,
			now,
		);
		this.storedMs = Date.parse(now);
	}

	get registered(): boolean {
		return this.row?.registered === 1;
	}

	markRegistered(): void {
		if (!this.row || this.row.registered) return;
		this.row.registered = 1;
		this.sql.exec("UPDATE call_info SET registered = 1");
	}

	/** The call exists from its first applied write on, even once all its operations are deleted. */
	get exists(): boolean {
		return this.row?.written === 1;
	}

	/** A write was applied at `now` (inside its transaction). */
	recordWrite(now: string): void {
		if (this.row && !this.row.written) {
			this.row.written = 1;
			this.sql.exec("UPDATE call_info SET written = 1");
		}
		this.touch(now);
	}

	/** Activity that keeps the call from expiring: a write, or a change of its configuration. */
	touch(now: string): void {
		this.last = now;
		const nowMs = Date.parse(now);
		if (!this.row || (this.storedMs !== undefined && nowMs - this.storedMs < RESOLUTION_MS)) return;
		this.row.last_activity = now;
		this.sql.exec("UPDATE call_info SET last_activity = ?", now);
		this.storedMs = nowMs;
	}

	recordDeletedOperation(): void {
		if (!this.row) return;
		this.row.deleted_operations++;
		this.sql.exec("UPDATE call_info SET deleted_operations = deleted_operations + 1");
	}

	get deletedOperations(): number {
		return this.row?.deleted_operations ?? 0;
	}

	/** The exact last activity while this instance lives, else the stored one; undefined before the call began. */
	get lastActivity(): string | undefined {
		return this.row ? (this.last ?? this.row.last_activity) : undefined;
	}

	/**
	 * When the call expires, from the last activity as stored: that may be up to RESOLUTION_MS behind the
	 * last write, so expiry waits that much longer and never comes before `ttlMs` after an acknowledged
	 * write (at most a second after). Undefined when the call never began.
	 */
	expiresAt(ttlMs: number): number | undefined {
		const stored = this.sql.exec<{ at: string }>("SELECT last_activity AS at FROM call_info").toArray()[0]?.at;
		return stored === undefined ? undefined : Date.parse(stored) + ttlMs + RESOLUTION_MS;
	}

	/** The identity stored with this incarnation, to check against the object's own name. */
	get call(): CallRef | undefined {
		return this.row ? { namespace: this.row.namespace, callId: this.row.call_id } : undefined;
	}
}
