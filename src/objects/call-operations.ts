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
import { applyMigrations, CALL_MIGRATIONS } from "./migrations";
import { newDocument, patchedDocument } from "./operation-document";

type OperationRow = { seq: number; body: string };
type CallInfoRow = { namespace: string; call_id: string; last_activity: string; registered: number };

const toStored = (row: OperationRow): StoredOperation => ({ seq: row.seq, json: row.body });

/**
 * One call's operations. Every write to the call comes through here, one at a time, in arrival
 * order: the SQL below is synchronous, so no two writes interleave and `seq` follows arrival.
 */
export class CallOperations extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	// Once per instance, off the hot path after the call's first write.
	private registration: Promise<void> | undefined;
	private expiry: Promise<void> | undefined;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		void ctx.blockConcurrencyWhile(async () => {
			applyMigrations(ctx.storage, CALL_MIGRATIONS);
		});
	}

	async createOperation(call: CallRef, draft: OperationDraft & { id: string }): Promise<Outcome<StoredOperation>> {
		const id = draft.id;
		if (this.find(id)) return fail("conflict");
		const now = new Date().toISOString();
		const body = newDocument(draft.typeName, id, draft.entries, now);
		const row = this.sql
			.exec<OperationRow>("INSERT INTO operations (id, body) VALUES (?, ?) RETURNING seq, body", id, body)
			.one();
		await this.touch(call, now);
		return ok(toStored(row));
	}

	async getOperation(id: string): Promise<Outcome<StoredOperation>> {
		const row = this.find(id);
		if (row) return ok(toStored(row));
		return fail(this.info() ? "operationNotFound" : "callNotFound");
	}

	async listOperations(afterSeq: number, top: number, withCount: boolean): Promise<Outcome<Page>> {
		if (!this.info()) return fail("callNotFound");
		const cursor = this.sql.exec<OperationRow>(
			"SELECT seq, body FROM operations WHERE seq > ? ORDER BY seq LIMIT ?",
			afterSeq,
			top + 1,
		);
		const rows = cursor.toArray();
		const count = withCount ? this.count() : undefined;
		return ok({
			items: rows.slice(0, top).map(toStored),
			hasMore: rows.length > top,
			count,
			rowsRead: cursor.rowsRead,
		});
	}

	async countOperations(): Promise<Outcome<number>> {
		return this.info() ? ok(this.count()) : fail("callNotFound");
	}

	async patchOperation(
		call: CallRef,
		id: string,
		changes: OperationDraft["entries"],
	): Promise<Outcome<StoredOperation>> {
		const row = this.find(id);
		if (!row) return fail(this.info() ? "operationNotFound" : "callNotFound");
		const now = new Date().toISOString();
		const body = patchedDocument(row.body, changes, now);
		this.sql.exec("UPDATE operations SET body = ? WHERE seq = ?", body, row.seq);
		await this.touch(call, now);
		return ok({ seq: row.seq, json: body });
	}

	async deleteOperation(call: CallRef, id: string): Promise<Outcome<number>> {
		const row = this.sql.exec<OperationRow>("DELETE FROM operations WHERE id = ? RETURNING seq, body", id).toArray()[0];
		if (!row) return fail(this.info() ? "operationNotFound" : "callNotFound");
		await this.touch(call, new Date().toISOString());
		return ok(row.seq);
	}

	async summary(): Promise<CallSummary | undefined> {
		const info = this.info();
		return info && { callId: info.call_id, operationCount: this.count(), lastActivity: info.last_activity };
	}

	/** Removes the call entirely: its next create starts again at sequence 1. */
	async reset(): Promise<void> {
		await this.ctx.blockConcurrencyWhile(async () => {
			await this.ctx.storage.deleteAlarm();
			await this.ctx.storage.deleteAll();
			applyMigrations(this.ctx.storage, CALL_MIGRATIONS);
			this.registration = undefined;
			this.expiry = undefined;
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

	private find(id: string): OperationRow | undefined {
		return this.sql.exec<OperationRow>("SELECT seq, body FROM operations WHERE id = ?", id).toArray()[0];
	}

	private info(): CallInfoRow | undefined {
		return this.sql.exec<CallInfoRow>("SELECT * FROM call_info").toArray()[0];
	}

	private count(): number {
		return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM operations").one().n;
	}

	private ttlMs = () => Number(this.env.CALL_TTL_SECONDS) * 1000;

	private async touch(call: CallRef, now: string): Promise<void> {
		this.sql.exec(
			`INSERT INTO call_info (only_row, namespace, call_id, last_activity) VALUES (1, ?, ?, ?)
			 ON CONFLICT (only_row) DO UPDATE SET last_activity = excluded.last_activity`,
			call.namespace,
			call.callId,
			now,
		);
		this.registration ??= this.register(call);
		this.expiry ??= this.armExpiry();
		await Promise.all([this.registration, this.expiry]);
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
}
