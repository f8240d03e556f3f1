import type { PersonAction } from "../../meetings/participant-shape";
import type { PersonSpec } from "./people";

// The meeting's script: the far side's steps at set times after the meeting began, run by the meeting's
// alarm in time order (steps due at the same time in script order), each as the tester's control would.

export type ScriptStep =
	| { atMs: number; action: "join"; person: PersonSpec }
	| { atMs: number; action: "leave" | PersonAction; key: string };

type StepRow = { seq: number; due_at: number; step: string };

export class MeetingScript {
	constructor(private readonly sql: SqlStorage) {}

	save(steps: ScriptStep[], startMs: number): void {
		steps.forEach((step, index) => {
			this.sql.exec(
				"INSERT INTO meeting_script (seq, due_at, step) VALUES (?, ?, ?)",
				index,
				startMs + step.atMs,
				JSON.stringify(step),
			);
		});
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
			this.sql.exec<{ t: number | null }>("SELECT MIN(due_at) AS t FROM meeting_script WHERE state = 'pending'").one()
				.t ?? undefined
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
		return { done: count("done"), pending: count("pending"), skipped };
	}
}
