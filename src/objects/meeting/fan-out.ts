import type { RosterChange, RosterStore } from "./roster-store";

// The calls joined to a meeting, and the fan-out that brings each of them the roster's changes in the
// meeting's order. One pass at a time: a change made while a pass awaits a call marks another pass.
// Each call is sent everything after the last change it took, so a call never sees a gap or a change
// twice (it drops what it already has), whatever interleaves.

/** What a call answers: it took the changes up to `seq`; it ended (or joined another meeting); it has no call. */
export type CallReply = { status: "taken"; seq: number } | { status: "gone" } | { status: "unknown" };

type CallRow = {
	call_id: string;
	ready: number;
	delivered_seq: number;
	joined_at: number;
	lobby_until: number | null;
};

const CHANGES_PER_SEND = 50;

export type FanOutHooks = {
	send: (callId: string, changes: RosterChange[]) => Promise<CallReply>;
	/** The meeting's incarnation now; a pass stops as soon as it is not the one it began in. */
	incarnation: () => number;
	/** A call that ended or vanished: the meeting removes it (and its bot) and records the change. */
	gone: (callId: string) => void;
	/** A call could not be reached: try again later (the meeting's alarm). */
	retryLater: () => Promise<void>;
};

export class FanOut {
	private running: Promise<void> | undefined;
	private again = false;

	constructor(
		private readonly sql: SqlStorage,
		private readonly roster: RosterStore,
		private readonly hooks: FanOutHooks,
	) {}

	calls(): CallRow[] {
		return this.sql.exec<CallRow>("SELECT * FROM meeting_calls ORDER BY joined_at, call_id").toArray();
	}

	count(): number {
		return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM meeting_calls").one().n;
	}

	has(callId: string): boolean {
		return this.sql.exec("SELECT 1 FROM meeting_calls WHERE call_id = ?", callId).toArray().length > 0;
	}

	add(callId: string, nowMs: number, lobbyUntil: number | null): void {
		this.sql.exec(
			"INSERT INTO meeting_calls (call_id, joined_at, lobby_until) VALUES (?, ?, ?)",
			callId,
			nowMs,
			lobbyUntil,
		);
	}

	/** The call's bot was admitted from the lobby: it waits no longer. */
	admitted(callId: string): void {
		this.sql.exec("UPDATE meeting_calls SET lobby_until = NULL WHERE call_id = ?", callId);
	}

	/** The call object exists now (the Worker created it after the join): changes may go to it. */
	markReady(callId: string): boolean {
		return this.sql.exec("UPDATE meeting_calls SET ready = 1 WHERE call_id = ?", callId).rowsWritten > 0;
	}

	remove(callId: string): boolean {
		return this.sql.exec("DELETE FROM meeting_calls WHERE call_id = ?", callId).rowsWritten > 0;
	}

	/** Runs passes until every ready call has the latest change; resolves when the last pass ends. */
	run(): Promise<void> {
		if (this.running) {
			this.again = true;
			return this.running;
		}
		const running = this.loop().finally(() => {
			if (this.running === running) this.running = undefined;
		});
		this.running = running;
		return running;
	}

	private async loop(): Promise<void> {
		const incarnation = this.hooks.incarnation(); // a deleted meeting's loop stops: the next one has its own
		do {
			this.again = false;
			await this.pass();
		} while (this.again && this.hooks.incarnation() === incarnation);
	}

	private async pass(): Promise<void> {
		const incarnation = this.hooks.incarnation();
		let failed = false;
		for (const call of this.calls()) {
			if (!call.ready) continue;
			for (;;) {
				// Read afresh each time: the call's row may have moved while the last send was awaited.
				const row = this.sql.exec<CallRow>("SELECT * FROM meeting_calls WHERE call_id = ?", call.call_id).toArray()[0];
				if (!row) break;
				const pending = this.roster.changesAfter(row.delivered_seq, CHANGES_PER_SEND); // only those after it
				if (pending.length === 0) break;
				let reply: CallReply;
				try {
					reply = await this.hooks.send(row.call_id, pending);
				} catch (error) {
					console.error("a roster change could not reach a call", row.call_id, error);
					if (this.hooks.incarnation() !== incarnation) return; // deleted while the send was awaited
					failed = true;
					break;
				}
				if (this.hooks.incarnation() !== incarnation) return; // the meeting was deleted meanwhile
				if (reply.status === "taken") {
					this.sql.exec(
						"UPDATE meeting_calls SET delivered_seq = MAX(delivered_seq, ?) WHERE call_id = ?",
						reply.seq,
						row.call_id,
					);
					continue;
				}
				this.hooks.gone(row.call_id); // records a change: another pass brings it to the rest
				this.again = true;
				break;
			}
		}
		const taken = this.sql
			.exec<{ n: number | null }>("SELECT MIN(delivered_seq) AS n FROM meeting_calls WHERE ready = 1")
			.one().n;
		this.roster.trim(taken ?? Number.MAX_SAFE_INTEGER);
		if (failed) await this.hooks.retryLater();
	}
}
