import { DurableObject } from "cloudflare:workers";
import type { OperationDraft } from "../schema/comms-operation";
import {
	type CallRef,
	type CallSummary,
	fail,
	type Outcome,
	ok,
	type Page,
	type StoredOperation,
} from "./call-results";
import { applyWrite, type CallWrite, callExists, findOperation, missing } from "./call-writes";
import { GroupCommit } from "./group-commit";
import { applyMigrations, CALL_MIGRATIONS } from "./migrations";
import type { NewOperation } from "./operation-document";

type CallInfoRow = { namespace: string; call_id: string; last_activity: string; registered: number };
type Submitted = { call: CallRef; write: CallWrite };

// The stored last activity only serves a 24 h expiry: it is written at most once a second (each
// write costs a page in the commit); the exact value is kept in memory.
const ACTIVITY_RESOLUTION_MS = 1000;

/**
 * One call's operations. Every write to the call goes through one group commit, so writes are applied
 * one at a time in arrival order and `seq` follows arrival; reads answer at once.
 */
export class CallOperations extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	private readonly writes = new GroupCommit<Submitted, Outcome<StoredOperation>>((batch) => this.applyBatch(batch));
	// Registration with the namespace registry and the expiry alarm: once per instance.
	private registration: Promise<void> | undefined;
	private expiry: Promise<void> | undefined;
	private settled = false;
	private lastActivity: string | undefined;
	private storedActivityMs: number | undefined;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		void ctx.blockConcurrencyWhile(async () => {
			applyMigrations(ctx.storage, CALL_MIGRATIONS);
		});
	}

	createOperation(call: CallRef, operation: NewOperation): Promise<Outcome<StoredOperation>> {
		return this.write(call, { kind: "create", operation });
	}

	patchOperation(call: CallRef, id: string, changes: OperationDraft["entries"]): Promise<Outcome<StoredOperation>> {
		return this.write(call, { kind: "patch", id, changes });
	}

	async deleteOperation(call: CallRef, id: string): Promise<Outcome<number>> {
		const outcome = await this.write(call, { kind: "delete", id });
		return outcome.ok ? ok(outcome.value.seq) : outcome;
	}

	async getOperation(id: string): Promise<Outcome<StoredOperation>> {
		const row = findOperation(this.sql, id);
		return row ? ok({ seq: row.seq, json: row.body }) : missing(this.sql);
	}

	async listOperations(afterSeq: number, top: number, withCount: boolean): Promise<Outcome<Page>> {
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
	}

	async countOperations(): Promise<Outcome<number>> {
		return callExists(this.sql) ? ok(this.count()) : fail("callNotFound");
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

	/** Removes the call entirely: its next create starts again at sequence 1. */
	async reset(): Promise<void> {
		this.writes.flush();
		await this.ctx.blockConcurrencyWhile(async () => {
			await this.ctx.storage.deleteAlarm();
			await this.ctx.storage.deleteAll();
			applyMigrations(this.ctx.storage, CALL_MIGRATIONS);
			this.registration = undefined;
			this.expiry = undefined;
			this.settled = false;
			this.lastActivity = undefined;
			this.storedActivityMs = undefined;
		});
	}

	/** Idle expiry: the alarm fires TTL after the first write and re-arms until the call is idle that long. */
	async alarm(): Promise<void> {
		const info = this.info();
		if (!info) return;
		const due = Date.parse(info.last_activity) + this.ttlMs();
		if (due > Date.now()) return this.ctx.storage.setAlarm(due);
		await this.env.REGISTRIES.getByName(info.namespace).forget(info.call_id);
		await this.reset();
	}

	private async write(call: CallRef, write: CallWrite): Promise<Outcome<StoredOperation>> {
		const outcome = await this.writes.submit({ call, write });
		if (!this.settled) await this.settle(call);
		return outcome;
	}

	private applyBatch(batch: Submitted[]): Outcome<StoredOperation>[] {
		return this.ctx.storage.transactionSync(() =>
			batch.map(({ call, write }) => {
				const now = new Date().toISOString();
				const outcome = applyWrite(this.sql, write, now);
				if (outcome.ok) this.recordActivity(call, now);
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

	/** Registers the call and arms its expiry; after that, writes skip this (awaiting is not free). */
	private async settle(call: CallRef): Promise<void> {
		this.registration ??= this.register(call);
		this.expiry ??= this.armExpiry();
		await Promise.all([this.registration, this.expiry]);
		this.settled = this.registration !== undefined;
	}

	// A failed registration is retried on the next write; the write itself has already succeeded.
	private async register(call: CallRef): Promise<void> {
		if (this.info()?.registered) return;
		try {
			await this.env.REGISTRIES.getByName(call.namespace).register(call.callId);
			this.sql.exec("UPDATE call_info SET registered = 1");
		} catch (error) {
			console.error("registering call failed", error);
			this.registration = undefined;
		}
	}

	private async armExpiry(): Promise<void> {
		if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + this.ttlMs());
	}

	private info(): CallInfoRow | undefined {
		return this.sql.exec<CallInfoRow>("SELECT * FROM call_info").toArray()[0];
	}

	private count(): number {
		return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM operations").one().n;
	}

	private ttlMs = () => Number(this.env.CALL_TTL_SECONDS) * 1000;
}
