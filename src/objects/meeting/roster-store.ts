import type { Participant } from "../../meetings/participant-shape";

// The meeting's roster over SQL (join order), and the log of its changes that the fan-out sends from.

type ParticipantRow = { body: string };
export type RosterChange = { seq: number; roster: Participant[]; changed: Participant[] };
type ChangeRow = { seq: number; roster: string; changed: string };

/** Changes kept for calls that lag behind (one that lags further gets the latest roster from there). */
const MAX_KEPT_CHANGES = 200;
/** The newest changes are kept even when every call took them: the live page's history (meeting-live.ts). */
export const HISTORY_CHANGES = 100;

/** The live page's history: the roster at `baseSeq` (empty at 0), then each change after it, oldest first. */
type RosterHistory = {
	baseSeq: number;
	base: Participant[];
	changes: { seq: number; changed: Participant[] }[];
};

export class RosterStore {
	constructor(
		private readonly sql: SqlStorage,
		/** Told after each change is logged (the live page's push; it reads later, outside the transaction). */
		private readonly recorded: () => void = () => {},
	) {}

	list(): Participant[] {
		return this.sql
			.exec<ParticipantRow>("SELECT body FROM meeting_participants ORDER BY seq")
			.toArray()
			.map((row) => JSON.parse(row.body) as Participant);
	}

	count(): number {
		return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM meeting_participants").one().n;
	}

	/** By id, or by the key the tester gave the person. */
	find(idOrKey: string): Participant | undefined {
		const row = this.sql
			.exec<ParticipantRow>("SELECT body FROM meeting_participants WHERE id = ? OR person_key = ?", idOrKey, idOrKey)
			.toArray()[0];
		return row ? (JSON.parse(row.body) as Participant) : undefined;
	}

	findByCall(callId: string): Participant | undefined {
		const row = this.sql
			.exec<ParticipantRow>("SELECT body FROM meeting_participants WHERE call_id = ?", callId)
			.toArray()[0];
		return row ? (JSON.parse(row.body) as Participant) : undefined;
	}

	hasKey(key: string): boolean {
		return this.sql.exec("SELECT 1 FROM meeting_participants WHERE person_key = ?", key).toArray().length > 0;
	}

	add(participant: Participant, owner: { key?: string | undefined; callId?: string | undefined } = {}): void {
		this.sql.exec(
			"INSERT INTO meeting_participants (id, person_key, call_id, body) VALUES (?, ?, ?, ?)",
			participant.id,
			owner.key ?? null,
			owner.callId ?? null,
			JSON.stringify(participant),
		);
	}

	/** Changes a participant in place: it keeps its place in the roster. */
	update(participant: Participant): void {
		this.sql.exec("UPDATE meeting_participants SET body = ? WHERE id = ?", JSON.stringify(participant), participant.id);
	}

	remove(id: string): void {
		this.sql.exec("DELETE FROM meeting_participants WHERE id = ?", id);
	}

	/** The sourceIds in use: a tester's own must not clash with them. */
	sourceIds(): Set<string> {
		return new Set(this.list().flatMap((one) => one.mediaStreams.map((stream) => stream.sourceId)));
	}

	/** Logs a change: the whole roster after it, and what it changed. */
	record(seq: number, changed: Participant[]): void {
		// The roster's JSON is joined from the stored bodies (already JSON) in SQL: nothing parsed again.
		this.sql.exec(
			"INSERT INTO roster_changes (seq, roster, changed) SELECT ?, '[' || ifnull(group_concat(body, ',' ORDER BY seq), '') || ']', ? FROM meeting_participants",
			seq,
			JSON.stringify(changed),
		);
		this.recorded();
	}

	/** The changes after `afterSeq`, oldest first (at most `limit`); only the latest for a call that had none. */
	changesAfter(afterSeq: number, limit: number): RosterChange[] {
		const rows =
			afterSeq === 0
				? this.sql.exec<ChangeRow>("SELECT * FROM roster_changes ORDER BY seq DESC LIMIT 1").toArray()
				: this.sql
						.exec<ChangeRow>("SELECT * FROM roster_changes WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
						.toArray();
		return rows.map((row) => ({
			seq: row.seq,
			roster: JSON.parse(row.roster) as Participant[],
			changed: JSON.parse(row.changed) as Participant[],
		}));
	}

	/**
	 * The newest changes (each with only what it changed) and the roster just before them: the empty
	 * roster when the log still starts at the first change, else the whole roster logged with the oldest
	 * change kept (which is then not shown itself). So at most HISTORY_CHANGES are shown.
	 */
	history(): RosterHistory {
		const rows = this.sql
			.exec<{ seq: number; changed: string }>(
				"SELECT seq, changed FROM roster_changes ORDER BY seq DESC LIMIT ?",
				HISTORY_CHANGES + 1,
			)
			.toArray()
			.reverse();
		const changes = (kept: typeof rows) =>
			kept.map((row) => ({ seq: row.seq, changed: JSON.parse(row.changed) as Participant[] }));
		const oldest = rows[0];
		if (!oldest || (oldest.seq === 1 && rows.length <= HISTORY_CHANGES))
			return { baseSeq: 0, base: [], changes: changes(rows) };
		const { roster } = this.sql
			.exec<{ roster: string }>("SELECT roster FROM roster_changes WHERE seq = ?", oldest.seq)
			.one();
		return { baseSeq: oldest.seq, base: JSON.parse(roster) as Participant[], changes: changes(rows.slice(1)) };
	}

	/**
	 * Drops the changes every joined call has taken and any beyond the bound, but never the newest
	 * HISTORY_CHANGES (+1, the history's base): the latest always stays.
	 */
	trim(takenByAll: number): void {
		this.sql.exec(
			"DELETE FROM roster_changes WHERE seq <= (SELECT MAX(seq) FROM roster_changes) - ? AND (seq <= ? OR seq <= (SELECT MAX(seq) FROM roster_changes) - ?)",
			HISTORY_CHANGES + 1,
			takenByAll,
			MAX_KEPT_CHANGES,
		);
	}
}
