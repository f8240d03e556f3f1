import { callObject } from "../../calls/call-object";
import type { StubConfig } from "../../schema/stub-config";
import { countThrough, newestSeq } from "./call-list";

export type FanOutKind = "reset" | "config";
type FanOutRow = { kind: FanOutKind; namespace: string; through_seq: number; cursor: number; generation: number };
type SeqRow = { seq: number; call_id: string };

/** Calls reached at once. */
const BATCH = 20;
/** Batches per step: one invocation of the registry reaches at most 40 calls, under Free's 50 subrequests. */
const BATCHES_PER_STEP = 2;
export const CALLS_PER_STEP = BATCH * BATCHES_PER_STEP;
/** A fan-out nobody drives any more (its request was cut off, the object evicted) is resumed this much later. */
export const RESUME_AFTER_MS = 5_000;

/**
 * The namespace's fan-outs to its calls — remove them all, push a new default configuration to them — in
 * bounded steps, with where each stands in the `fan_outs` table: the request that started one drives it
 * step by step to the end, and if it is cut off, the registry's alarm resumes it from there. One step runs
 * at a time; a request for a fan-out already under way joins it.
 */
export class FanOuts {
	private running: Promise<void> | undefined;

	constructor(
		private readonly sql: SqlStorage,
		private readonly storage: DurableObjectStorage,
		private readonly env: Env,
		private readonly currentConfig: () => StubConfig | undefined,
	) {}

	/** Every call listed now is to be removed (they leave the list at once); how many this adds. */
	async beginReset(namespace: string): Promise<number> {
		const job = this.job("reset");
		const through = Math.max(newestSeq(this.sql), job?.through_seq ?? 0);
		const added = countThrough(this.sql, through, job?.through_seq ?? 0);
		if (job) this.sql.exec("UPDATE fan_outs SET through_seq = ? WHERE kind = 'reset'", through);
		else if (added > 0)
			this.sql.exec("INSERT INTO fan_outs (kind, namespace, through_seq) VALUES ('reset', ?, ?)", namespace, through);
		await this.rearm();
		return added;
	}

	/** The namespace default changed: push it to every call listed now (again from the newest, if a push ran). */
	async beginConfig(namespace: string): Promise<void> {
		const cursor = newestSeq(this.sql) + 1;
		this.sql.exec(
			`INSERT INTO fan_outs (kind, namespace, cursor) VALUES ('config', ?, ?)
			 ON CONFLICT (kind) DO UPDATE SET namespace = excluded.namespace, cursor = excluded.cursor, generation = generation + 1`,
			namespace,
			cursor,
		);
		await this.rearm();
	}

	/** Calls numbered up to this are being removed: the list no longer shows them. */
	hiddenThrough(): number {
		return this.job("reset")?.through_seq ?? 0;
	}

	/** One step of the `kind` fan-out, after the step running now, if any; true once none of that kind is left. */
	async advance(kind: FanOutKind): Promise<boolean> {
		while (this.running) await this.running;
		if (!this.job(kind)) return true;
		const step = this.step(kind);
		const settled = step.then(
			() => undefined,
			() => undefined,
		);
		this.running = settled;
		try {
			await step;
		} finally {
			if (this.running === settled) this.running = undefined;
		}
		return !this.job(kind);
	}

	/** The alarm: one step of each fan-out left, then the next alarm at once if any is still unfinished. */
	async resume(): Promise<void> {
		for (const kind of ["reset", "config"] as const) await this.advance(kind);
		if (this.job("reset") || this.job("config")) await this.storage.setAlarm(Date.now());
	}

	private async step(kind: FanOutKind): Promise<void> {
		try {
			for (let batch = 0; batch < BATCHES_PER_STEP; batch++)
				if (!(await (kind === "reset" ? this.resetBatch() : this.configBatch()))) break;
		} finally {
			await this.rearm();
		}
	}

	/** Resets the newest calls still to be removed; false once none is left (the fan-out is then over). */
	private async resetBatch(): Promise<boolean> {
		const job = this.job("reset");
		if (!job) return false;
		const batch = this.sql
			.exec<SeqRow>("SELECT seq, call_id FROM calls WHERE seq <= ? ORDER BY seq DESC LIMIT ?", job.through_seq, BATCH)
			.toArray();
		if (batch.length > 0) {
			// Each call is wiped in one step of its own and forgets itself here; its row goes below in any case.
			await Promise.all(batch.map((row) => callObject(this.env, job.namespace, row.call_id).reset()));
			this.sql.exec(`DELETE FROM calls WHERE seq IN (${batch.map(() => "?").join(",")})`, ...batch.map((r) => r.seq));
		}
		// Read again after the await: a DELETE meanwhile may have moved the mark.
		const through = this.job("reset")?.through_seq ?? 0;
		if (this.sql.exec("SELECT 1 FROM calls WHERE seq <= ? LIMIT 1", through).toArray().length > 0) return true;
		this.sql.exec("DELETE FROM fan_outs WHERE kind = 'reset'");
		return false;
	}

	/** Pushes the current default to the next calls down the list; false once it reached the oldest. */
	private async configBatch(): Promise<boolean> {
		const job = this.job("config");
		if (!job) return false;
		const batch = this.sql
			.exec<SeqRow>("SELECT seq, call_id FROM calls WHERE seq < ? ORDER BY seq DESC LIMIT ?", job.cursor, BATCH)
			.toArray();
		const last = batch.at(-1);
		if (!last) {
			this.sql.exec("DELETE FROM fan_outs WHERE kind = 'config' AND generation = ?", job.generation);
			return false;
		}
		const config = this.currentConfig();
		await Promise.all(batch.map((row) => callObject(this.env, job.namespace, row.call_id).inheritConfig(config)));
		// A newer default restarted the push meanwhile: its cursor stays where it is.
		this.sql.exec("UPDATE fan_outs SET cursor = ? WHERE kind = 'config' AND generation = ?", last.seq, job.generation);
		return true;
	}

	/** The alarm stands RESUME_AFTER_MS after the last progress while a fan-out is left; none otherwise. */
	private async rearm(): Promise<void> {
		if (this.job("reset") || this.job("config")) await this.storage.setAlarm(Date.now() + RESUME_AFTER_MS);
		else await this.storage.deleteAlarm();
	}

	private job(kind: FanOutKind): FanOutRow | undefined {
		return this.sql.exec<FanOutRow>("SELECT * FROM fan_outs WHERE kind = ?", kind).toArray()[0];
	}
}
