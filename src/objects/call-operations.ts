import { DurableObject } from "cloudflare:workers";
import type { OperationDraft } from "../schema/comms-operation";
import type { FaultRoute } from "../schema/fault-plan";
import type { StubConfig } from "../schema/stub-config";
import {
	type CallRef,
	type CallSummary,
	fail,
	type Outcome,
	ok,
	type Page,
	type StoredOperation,
} from "./call-results";
import { CallSettings } from "./call-settings";
import { applyWrite, type CallWrite, callExists, findOperation, missing } from "./call-writes";
import { deliverDue } from "./delivery";
import { FaultScreen, type JournalEntry } from "./fault-screen";
import { GroupCommit } from "./group-commit";
import { applyMigrations, CALL_MIGRATIONS } from "./migrations";
import type { NewOperation } from "./operation-document";
import { deliveryJournal } from "./outbox";
import { advanceDue, planTransitions } from "./progression";

type CallInfoRow = { namespace: string; call_id: string; last_activity: string };
type Submitted = { call: CallRef; write: CallWrite };

// The stored last activity only serves a 24 h expiry: it is written at most once a second (each
// write costs a page in the commit); the exact value is kept in memory.
const ACTIVITY_RESOLUTION_MS = 1000;

const withDelay = <T>(outcome: Outcome<T>, delayMs: number): Outcome<T> =>
	delayMs ? { ...outcome, delayMs } : outcome;

/**
 * One call: its operations, its configuration, and the one clock (its alarm) that moves operations along,
 * delivers notifications and expires the idle call. Every write goes through one group commit, so writes
 * apply one at a time in arrival order and `seq` follows arrival; every Graph request is first screened
 * against the fault plan, in arrival order.
 */
export class CallOperations extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	private readonly writes = new GroupCommit<Submitted, Outcome<StoredOperation>>((batch) => this.applyBatch(batch));
	private settings!: CallSettings;
	private faults!: FaultScreen;
	private settling: Promise<void> | undefined;
	private settled = false;
	private lastActivity: string | undefined;
	private storedActivityMs: number | undefined;
	private earliestPlanned: number | undefined;
	private alarmAt: number | null | undefined;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		void ctx.blockConcurrencyWhile(async () => this.open());
	}

	createOperation(call: CallRef, operation: NewOperation): Promise<Outcome<StoredOperation>> {
		return this.write(call, "create", { kind: "create", operation });
	}

	patchOperation(call: CallRef, id: string, changes: OperationDraft["entries"]): Promise<Outcome<StoredOperation>> {
		return this.write(call, "patch", { kind: "patch", id, changes });
	}

	async deleteOperation(call: CallRef, id: string): Promise<Outcome<number>> {
		const outcome = await this.write(call, "delete", { kind: "delete", id });
		return outcome.ok ? withDelay(ok(outcome.value.seq), outcome.delayMs ?? 0) : outcome;
	}

	async getOperation(id: string): Promise<Outcome<StoredOperation>> {
		return this.read("get", () => this.lookup(id));
	}

	/** The operation without fault screening: for the stub's own look-ups (a PATCH reads the type first). */
	async peekOperation(id: string): Promise<Outcome<StoredOperation>> {
		return this.lookup(id);
	}

	async listOperations(afterSeq: number, top: number, withCount: boolean): Promise<Outcome<Page>> {
		return this.read("list", () => {
			if (!callExists(this.sql)) return fail("callNotFound");
			const cursor = this.sql.exec<{ seq: number; body: string }>(
				"SELECT seq, body FROM operations WHERE seq > ? ORDER BY seq LIMIT ?",
				afterSeq,
				top + 1,
			);
			const rows = cursor.toArray();
			const items = rows.slice(0, top).map((row) => ({ seq: row.seq, json: row.body }));
			const count = withCount ? this.count() : undefined;
			return ok({ items, hasMore: rows.length > top, count, rowsRead: cursor.rowsRead });
		});
	}

	async countOperations(): Promise<Outcome<number>> {
		return this.read("count", () => (callExists(this.sql) ? ok(this.count()) : fail("callNotFound")));
	}

	async summary(): Promise<CallSummary | undefined> {
		const info = this.info();
		if (!info) return undefined;
		return {
			callId: info.call_id,
			operationCount: this.count(),
			lastActivity: this.lastActivity ?? info.last_activity,
		};
	}

	/** This call's own configuration (undefined: use the namespace default). A new plan counts from zero. */
	async setConfig(call: CallRef, config: StubConfig | undefined) {
		await this.settle(call);
		this.settings.setOwn(config);
		this.faults.reset();
		return this.settings.view();
	}

	/** The namespace default, pushed by the registry. */
	async inheritConfig(config: StubConfig | undefined): Promise<void> {
		this.settings.setInherited(config);
		if (!this.settings.own) this.faults.reset();
	}

	async getConfig() {
		return this.settings.view();
	}

	async notifications() {
		return deliveryJournal(this.sql);
	}

	async journal(): Promise<JournalEntry[]> {
		return this.faults.journal();
	}

	/** Removes the call entirely, configuration included: its next create starts again at sequence 1. */
	async reset(): Promise<void> {
		// Writes that arrived earlier and wait for the call's registration go first, then the queue.
		if (this.settling) await this.settling;
		this.writes.flush();
		await this.ctx.blockConcurrencyWhile(async () => {
			await this.ctx.storage.deleteAlarm();
			await this.ctx.storage.deleteAll();
			this.settling = undefined;
			this.settled = false;
			this.lastActivity = undefined;
			this.storedActivityMs = undefined;
			this.alarmAt = null;
			this.open();
		});
	}

	/** The call's one clock: due transitions, then notifications, then idle expiry; then the next wake-up. */
	async alarm(): Promise<void> {
		this.alarmAt = null;
		const info = this.info();
		this.writes.flush(); // writes that arrived before this alarm apply before it
		const nowMs = Date.now();
		this.ctx.storage.transactionSync(() =>
			advanceDue(this.sql, this.settings.effective, info?.call_id ?? "", nowMs, new Date(nowMs).toISOString()),
		);
		const deliverAt = await deliverDue(this.sql, {
			callbackUri: this.settings.effective?.callbackUri,
			callbackToken: this.settings.effective?.callbackToken,
			scenarioId: this.settings.scenarioId,
			timeoutMs: Number(this.env.DELIVERY_TIMEOUT_MS),
			maxAttempts: Number(this.env.DELIVERY_MAX_ATTEMPTS),
			backoffBaseMs: Number(this.env.DELIVERY_BACKOFF_BASE_MS),
		});
		if (info && Date.parse(info.last_activity) + this.ttlMs() <= Date.now()) {
			await this.env.REGISTRIES.getByName(info.namespace).forget(info.call_id);
			return this.reset();
		}
		await this.rearm(deliverAt);
	}

	private open(): void {
		applyMigrations(this.ctx.storage, CALL_MIGRATIONS);
		this.settings = new CallSettings(this.sql);
		this.faults = new FaultScreen(this.sql);
	}

	private lookup(id: string): Outcome<StoredOperation> {
		const row = findOperation(this.sql, id);
		return row ? ok({ seq: row.seq, json: row.body }) : missing(this.sql);
	}

	private async read<T>(route: FaultRoute, answer: () => Outcome<T>): Promise<Outcome<T>> {
		const { fault, delayMs } = this.faults.screen(this.settings.effective?.faults, route);
		return withDelay(fault ? { ok: false, error: "fault", fault } : answer(), delayMs);
	}

	private async write(call: CallRef, route: FaultRoute, write: CallWrite): Promise<Outcome<StoredOperation>> {
		const { fault, delayMs } = this.faults.screen(this.settings.effective?.faults, route);
		if (fault) return withDelay({ ok: false, error: "fault", fault }, delayMs);
		// The first write registers the call first, so that the namespace's configuration applies to it.
		if (!this.settled) await this.settle(call);
		const outcome = await this.writes.submit({ call, write });
		if (this.earliestPlanned !== undefined) {
			const due = this.earliestPlanned;
			this.earliestPlanned = undefined;
			await this.wakeBy(due);
		}
		return withDelay(outcome, delayMs);
	}

	private applyBatch(batch: Submitted[]): Outcome<StoredOperation>[] {
		return this.ctx.storage.transactionSync(() =>
			batch.map(({ call, write }) => {
				const now = new Date().toISOString();
				const outcome = applyWrite(this.sql, write, now);
				if (!outcome.ok) return outcome;
				this.recordActivity(call, now);
				if (write.kind === "delete")
					this.sql.exec("DELETE FROM transitions WHERE operation_seq = ?", outcome.value.seq);
				else if (this.settings.effective?.progression) {
					const due = planTransitions(
						this.sql,
						this.settings.effective,
						outcome.value.seq,
						outcome.value.json,
						Date.parse(now),
					);
					if (due !== undefined) this.earliestPlanned = Math.min(this.earliestPlanned ?? due, due);
				}
				return outcome;
			}),
		);
	}

	private recordActivity(call: CallRef, now: string): void {
		this.lastActivity = now;
		const nowMs = Date.parse(now);
		if (this.storedActivityMs !== undefined && nowMs - this.storedActivityMs < ACTIVITY_RESOLUTION_MS) return;
		this.sql.exec(
			`INSERT INTO call_info (only_row, namespace, call_id, last_activity) VALUES (1, ?, ?, ?)
			 ON CONFLICT (only_row) DO UPDATE SET last_activity = excluded.last_activity`,
			call.namespace,
			call.callId,
			now,
		);
		this.storedActivityMs = nowMs;
	}

	/** Registers the call (learning the namespace default) and arms its alarm; once per instance. */
	private settle(call: CallRef): Promise<void> {
		this.settling ??= (async () => {
			try {
				const inherited = await this.env.REGISTRIES.getByName(call.namespace).register(call.namespace, call.callId);
				this.settings.setInherited(inherited ?? undefined);
				this.settled = true;
			} catch (error) {
				// Retried on the next write; this write goes on without the namespace default.
				console.error("registering call failed", error);
				this.settling = undefined;
			}
			await this.wakeBy(Date.now() + this.ttlMs());
		})();
		return this.settling;
	}

	/** Makes sure the alarm fires by `due`. */
	private async wakeBy(due: number): Promise<void> {
		if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
		if (this.alarmAt !== null && this.alarmAt <= due) return;
		this.alarmAt = due;
		await this.ctx.storage.setAlarm(due);
	}

	private async rearm(deliverAt: number | undefined): Promise<void> {
		const transitionAt = this.sql.exec<{ t: number | null }>("SELECT MIN(due_at) AS t FROM transitions").one().t;
		const info = this.info();
		const expiryAt = info ? Date.parse(info.last_activity) + this.ttlMs() : undefined;
		const candidates = [transitionAt, deliverAt, expiryAt].filter((t): t is number => typeof t === "number");
		if (candidates.length) await this.wakeBy(Math.min(...candidates));
	}

	private info(): CallInfoRow | undefined {
		return this.sql.exec<CallInfoRow>("SELECT namespace, call_id, last_activity FROM call_info").toArray()[0];
	}

	private count(): number {
		return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM operations").one().n;
	}

	private ttlMs = () => Number(this.env.CALL_TTL_SECONDS) * 1000;
}
