import type { FaultPlan, FaultRoute } from "../../schema/fault-plan";
import { decideFaults, type FaultDecision } from "./fault-decision";

type JournalDetail = {
	status?: number;
	retryAfterSeconds?: number | null;
	latencyMs?: number;
	rules?: number[];
	retryAfterDateTime?: string;
	earlyMs?: number;
};
export type JournalEntry = { sequence: number; dateTime: string; kind: string; route: string } & JournalDetail;

/** Journal entries kept per call; older ones are dropped. */
export const KEPT_JOURNAL_ENTRIES = 1000;

const NONE: FaultDecision = { fault: undefined, delayMs: 0, firedRules: [] };

/**
 * Screens each request to a call against its fault plan, in arrival order, and keeps the journal of
 * injected faults and of requests that came back before the Retry-After they were given.
 */
export class FaultScreen {
	private matched: number[];
	private throttledUntil: number;

	constructor(private readonly sql: SqlStorage) {
		this.matched = [];
		for (const row of sql.exec<{ rule: number; matched: number }>("SELECT rule, matched FROM fault_counters").toArray())
			this.matched[row.rule] = row.matched;
		this.throttledUntil = sql.exec<{ t: number }>("SELECT throttled_until AS t FROM settings").toArray()[0]?.t ?? 0;
	}

	/** A new plan counts from zero. */
	reset(): void {
		this.matched = [];
		this.sql.exec("DELETE FROM fault_counters");
	}

	screen(plan: FaultPlan | undefined, route: FaultRoute): FaultDecision {
		const nowMs = Date.now();
		if (this.throttledUntil > nowMs) {
			const earlyMs = this.throttledUntil - nowMs;
			this.record("violation", route, { retryAfterDateTime: new Date(this.throttledUntil).toISOString(), earlyMs });
		}
		if (!plan?.rules.length) return NONE;
		const before = [...this.matched];
		const decision = decideFaults(plan, route, this.matched);
		for (const [rule, matched] of this.matched.entries())
			if (matched !== before[rule])
				this.sql.exec("INSERT OR REPLACE INTO fault_counters (rule, matched) VALUES (?, ?)", rule, matched);
		const { fault } = decision;
		if (fault) {
			this.record("fault", route, {
				status: fault.status,
				retryAfterSeconds: fault.retryAfterSeconds ?? null,
				rules: decision.firedRules,
			});
			if (fault.retryAfterSeconds !== undefined) {
				this.throttledUntil = nowMs + fault.retryAfterSeconds * 1000;
				this.sql.exec("UPDATE settings SET throttled_until = ?", this.throttledUntil);
			}
		} else if (decision.delayMs)
			this.record("fault", route, { latencyMs: decision.delayMs, rules: decision.firedRules });
		return decision;
	}

	journal(): JournalEntry[] {
		return this.sql
			.exec<{ id: number; at: string; kind: string; route: string; detail: string }>(
				"SELECT * FROM journal ORDER BY id",
			)
			.toArray()
			.map((row) => ({
				sequence: row.id,
				dateTime: row.at,
				kind: row.kind,
				route: row.route,
				...(JSON.parse(row.detail) as JournalDetail),
			}));
	}

	private record(kind: "fault" | "violation", route: FaultRoute, detail: JournalDetail) {
		const { id } = this.sql
			.exec<{ id: number }>(
				"INSERT INTO journal (at, kind, route, detail) VALUES (?, ?, ?, ?) RETURNING id",
				new Date().toISOString(),
				kind,
				route,
				JSON.stringify(detail),
			)
			.one();
		if (id > KEPT_JOURNAL_ENTRIES) this.sql.exec("DELETE FROM journal WHERE id <= ?", id - KEPT_JOURNAL_ENTRIES);
	}
}
