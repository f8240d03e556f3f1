import type { PersonAction } from "../../meetings/participant-shape";
import type { PersonSpec } from "./people";

// The meeting's script: the far side's steps at set times after the meeting began (or, when the tester
// asks, after the first bot's call joined: a test then runs the same however long its bot took to join),
// run by the meeting's alarm in time order (steps due at the same time in script order), each as the
// tester's control would.

export type ScriptStep =
	| { atMs: number; action: "join"; person: PersonSpec }
	| { atMs: number; action: "leave" | PersonAction; key: string };

type StepRow = { seq: number; due_at: number; step: string };

/** When the script's clock starts: the meeting's creation, or the first bot's call joining. */
export type ScriptStart = "created" | "botJoins";

/** The due time of a step that waits for the first bot (never reached by a clock). */
const WAITING = Number.MAX_SAFE_INTEGER;

export class MeetingScript {
	constructor(private readonly sql: SqlStorage) {}

	/** `startMs` undefined: the steps wait for the first bot's call (startIfWaiting). */
	save(steps: ScriptStep[], startMs: number | undefined): void {
		steps.forEach((step, index) => {
			this.sql.exec(
				"INSERT INTO meeting_script (seq, due_at, at_ms, step) VALUES (?, ?, ?, ?)",
				index,
				startMs === undefined ? WAITING : startMs + step.atMs,
				step.atMs,
				JSON.stringify(step),
			);
		});
	}

	/** A bot's call joined: steps still waiting for one start their clock now. Whether any did. */
	startIfWaiting(nowMs: number): boolean {
		const cursor = this.sql.exec(
			"UPDATE meeting_script SET due_at = ? + at_ms WHERE state = 'pending' AND due_at = ?",
			nowMs,
			WAITING,
		);
		return cursor.rowsWritten > 0;
	}

	due(nowMs: number): { index: number; step: ScriptStep }[] {
		return this.sql
			.exec<StepRow>(
				"SELECT seq, due_at, step FROM meeting_script WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, seq",
				nowMs,
			)
			.toArray()
			.map((row) => ({ index: row.seq, step: JSON.parse(row.step) as ScriptStep }));
	}

	settle(index: number, skipped?: string): void {
		this.sql.exec(
			"UPDATE meeting_script SET state = ?, message = ? WHERE seq = ?",
			skipped === undefined ? "done" : "skipped",
			skipped ?? null,
			index,
		);
	}

	nextAt(): number | undefined {
		return (
			this.sql
				.exec<{ t: number | null }>(
					"SELECT MIN(due_at) AS t FROM meeting_script WHERE state = 'pending' AND due_at < ?",
					WAITING,
				)
				.one().t ?? undefined
		);
	}

	/** For the meeting's view: how far the script has run, and the steps skipped (with why). */
	summary() {
		const counts = this.sql
			.exec<{ state: string; n: number }>("SELECT state, COUNT(*) AS n FROM meeting_script GROUP BY state")
			.toArray();
		const count = (state: string) => counts.find((row) => row.state === state)?.n ?? 0;
		const skipped = this.sql
			.exec<{ seq: number; message: string }>(
				"SELECT seq, message FROM meeting_script WHERE state = 'skipped' ORDER BY seq",
			)
			.toArray()
			.map((row) => ({ index: row.seq, message: row.message }));
		const waiting = this.sql
			.exec<{ n: number }>("SELECT COUNT(*) AS n FROM meeting_script WHERE state = 'pending' AND due_at = ?", WAITING)
			.one().n;
		const summary = { done: count("done"), pending: count("pending"), skipped };
		// Said only while it is so: a script waiting for the first bot's call to join.
		return waiting ? { ...summary, waitingForBot: true } : summary;
	}
}
