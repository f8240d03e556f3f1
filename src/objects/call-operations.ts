import { DurableObject } from "cloudflare:workers";
import { callingDefaults } from "../schema/calling-config";
import type { OperationDraft } from "../schema/comms-operation";
import type { FaultRoute } from "../schema/fault-plan";
import type { StubConfig } from "../schema/stub-config";
import type { CallContext } from "./call/call-context";
import {
	applyAction,
	type CallAction,
	callSummary,
	createOutgoing,
	readCall,
	startIncoming,
} from "./call/call-machine";
import { type CallOutcome, refused } from "./call/call-outcome";
import { type CallDocument, loadCall, nextTimerAt } from "./call/call-store";
import { runDueTimers } from "./call/call-timers";
import {
	type CallRef,
	type CallSummary,
	fail,
	faulted,
	type Outcome,
	ok,
	type Page,
	type StoredOperation,
} from "./call-results";
import { ActivityLog } from "./lifecycle/activity-log";
import { AlarmClock } from "./lifecycle/alarm-clock";
import { applyMigrations, CALL_MIGRATIONS } from "./migrations";
import { nextDeliveryAt } from "./notifications/outbox";
import { GroupCommit } from "./operations/group-commit";
import type { NewOperation } from "./operations/operation-document";
import {
	applyWrite,
	type CallWrite,
	callExists,
	countOperations,
	findOperation,
	listPage,
	missing,
} from "./operations/operation-store";
import { CallSimulation } from "./simulation/call-simulation";
import type { JournalEntry } from "./simulation/fault-screen";

type Submitted = { call: CallRef; write: CallWrite };

const withDelay = <T>(outcome: Outcome<T>, delayMs: number): Outcome<T> =>
	delayMs ? { ...outcome, delayMs } : outcome;

/**
 * One call: its operations, and the one clock (its alarm) that moves them along, delivers notifications
 * and expires the idle call. Every Graph request is first screened against the fault plan, in arrival
 * order; every write goes through one group commit, so writes apply one at a time in arrival order and
 * `seq` follows arrival.
 */
export class CallOperations extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	private readonly writes = new GroupCommit<Submitted, Outcome<StoredOperation>>((batch) => this.applyBatch(batch));
	private simulation!: CallSimulation;
	private activity!: ActivityLog;
	private clock!: AlarmClock;
	private settling: Promise<void> | undefined;
	private settled = false;
	// Emptied by a reset or an expiry: nothing is stored, not even the schema, until the next write.
	private wiped = false;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		void ctx.blockConcurrencyWhile(async () => {
			this.open();
			// An object that only served reads (a call that never existed) wipes itself a TTL later.
			if (!callExists(this.sql)) await this.clock.wakeBy(Date.now() + this.ttlMs());
		});
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
		return this.wiped ? fail("callNotFound") : this.lookup(id);
	}

	async listOperations(afterSeq: number, top: number, withCount: boolean): Promise<Outcome<Page>> {
		return this.read("list", () =>
			callExists(this.sql) ? ok(listPage(this.sql, afterSeq, top, withCount)) : fail("callNotFound"),
		);
	}

	async countOperations(): Promise<Outcome<number>> {
		return this.read("count", () => (callExists(this.sql) ? ok(countOperations(this.sql)) : fail("callNotFound")));
	}

	async summary(): Promise<CallSummary | undefined> {
		if (this.wiped) return undefined;
		const info = this.activity.info();
		if (!info) return undefined;
		return {
			callId: info.call_id,
			operationCount: countOperations(this.sql),
			lastActivity: this.activity.lastActivity(info),
			...callSummary(this.sql), // [calls] the call's state and direction, when it is a call resource
		};
	}

	async setConfig(call: CallRef, config: StubConfig | undefined) {
		this.reopen();
		await this.settle(call);
		return this.simulation.setOwn(config);
	}

	/** The namespace default, pushed by the registry. */
	async inheritConfig(config: StubConfig | undefined): Promise<void> {
		// A wiped call learns the default again when its next write registers it.
		if (!this.wiped) this.simulation.setInherited(config);
	}

	async getConfig() {
		return this.wiped ? { own: null, inherited: null, effective: null } : this.simulation.settings.view();
	}

	async notifications() {
		return this.wiped ? [] : this.simulation.notifications();
	}

	async journal(): Promise<JournalEntry[]> {
		return this.wiped ? [] : this.simulation.journal();
	}

	/** Removes the call entirely, configuration included: its next create starts again at sequence 1. */
	async reset(): Promise<void> {
		// Writes that arrived earlier and wait for the call's registration go first, then the queue.
		if (this.settling) await this.settling;
		this.writes.flush();
		await this.ctx.blockConcurrencyWhile(async () => {
			await this.ctx.storage.deleteAlarm();
			await this.ctx.storage.deleteAll();
			this.clock.cleared();
			this.settling = undefined;
			this.settled = false;
			this.wiped = true;
		});
	}

	/** The call's one clock: due transitions, then notifications, then idle expiry; then the next wake-up. */
	async alarm(): Promise<void> {
		if (this.wiped) return;
		this.clock.cleared();
		this.writes.flush(); // writes that arrived before this alarm apply before it
		const info = this.activity.info();
		if (!info && !this.simulation.settings.own) return this.reset(); // never written, not configured
		this.runCallTimers(); // [calls] the call's own due steps, before delivery
		const deliverAt = await this.simulation.tick(this.ctx.storage, info?.call_id ?? "");
		const expiryAt = info ? Date.parse(info.last_activity) + this.ttlMs() : undefined;
		if (info && expiryAt !== undefined && expiryAt <= Date.now()) {
			await this.env.REGISTRIES.getByName(info.namespace).forget(info.call_id);
			return this.reset();
		}
		const next = [this.simulation.nextTransitionAt(), nextTimerAt(this.sql), deliverAt, expiryAt].filter(
			(t): t is number => typeof t === "number",
		);
		if (next.length) await this.clock.wakeBy(Math.min(...next));
	}

	private open(): void {
		this.wiped = false;
		applyMigrations(this.ctx.storage, CALL_MIGRATIONS);
		this.simulation = new CallSimulation(this.sql, this.env);
		this.activity = new ActivityLog(this.sql);
		this.clock = new AlarmClock(this.ctx.storage);
	}

	/** After a reset or expiry, the next write brings the schema back (synchronously: nothing interleaves). */
	private reopen(): void {
		if (this.wiped) this.open();
	}

	private lookup(id: string): Outcome<StoredOperation> {
		const row = findOperation(this.sql, id);
		return row ? ok({ seq: row.seq, json: row.body }) : missing(this.sql);
	}

	private async read<T>(route: FaultRoute, answer: () => Outcome<T>): Promise<Outcome<T>> {
		// A read arriving while the first write registers the call waits its turn behind that write.
		if (this.settling && !this.settled) await this.settling;
		if (this.wiped) return fail("callNotFound");
		const { fault, delayMs } = this.simulation.screen(route);
		return fault ? faulted(fault, delayMs) : withDelay(answer(), delayMs);
	}

	private async write(call: CallRef, route: FaultRoute, write: CallWrite): Promise<Outcome<StoredOperation>> {
		this.reopen();
		// The first write registers the call first, so that the namespace's configuration applies to it.
		if (!this.settled) await this.settle(call);
		const { fault, delayMs } = this.simulation.screen(route);
		if (fault) return faulted(fault, delayMs);
		const outcome = await this.writes.submit({ call, write });
		const planned = this.simulation.takePlanned();
		if (planned !== undefined) await this.clock.wakeBy(planned);
		return withDelay(outcome, delayMs);
	}

	private applyBatch(batch: Submitted[]): Outcome<StoredOperation>[] {
		return this.ctx.storage.transactionSync(() =>
			batch.map(({ call, write }) => {
				const now = new Date().toISOString();
				const outcome = applyWrite(this.sql, write, now);
				if (outcome.ok) {
					this.activity.record(call, now);
					this.simulation.afterWrite(write, outcome.value, Date.parse(now));
				}
				return outcome;
			}),
		);
	}

	/** Registers the call (learning the namespace default) and arms its alarm; once per instance. */
	private settle(call: CallRef): Promise<void> {
		this.settling ??= (async () => {
			try {
				const inherited = await this.env.REGISTRIES.getByName(call.namespace).register(call.callId);
				this.simulation.setInherited(inherited ?? undefined);
				this.settled = true;
			} catch (error) {
				// Retried on the next write; this write goes on without the namespace default.
				console.error("registering call failed", error);
				this.settling = undefined;
			}
			await this.clock.wakeBy(Date.now() + this.ttlMs());
		})();
		return this.settling;
	}

	private ttlMs = () => Number(this.env.CALL_TTL_SECONDS) * 1000;

	// ---- [calls] The call resource (src/objects/call/): thin RPC, one synchronous step per request. ----

	/** POST /communications/calls: the Worker built the call (and its id); stored `establishing`. */
	createCall(call: CallRef, document: CallDocument, participants: Participant[]): Promise<CallOutcome<string>> {
		return this.callStep(call, true, (ctx) => createOutgoing(this.sql, document, participants, ctx));
	}

	/** POST /_stub/incoming-calls: a callbackUri of null means the configured one (none: refused). */
	startIncomingCall(
		call: CallRef,
		document: CallDocument,
		participants: Participant[],
		answerTimeoutMs: number | undefined,
	): Promise<CallOutcome<string>> {
		return this.callStep(call, true, (ctx) => {
			const callbackUri = document.callbackUri ?? this.simulation.settings.effective?.callbackUri;
			if (typeof callbackUri !== "string") return refused("noCallbackUri");
			const timeout = answerTimeoutMs ?? ctx.calling.answerTimeoutMs;
			return startIncoming(this.sql, { ...document, callbackUri }, participants, timeout, ctx);
		});
	}

	async getCall(): Promise<CallOutcome<string>> {
		if (this.settling && !this.settled) await this.settling;
		return this.wiped ? refused("callNotFound") : readCall(this.sql);
	}

	/** answer, reject, redirect, transfer, keepAlive, hang up (either side): CALL_REQUESTS says when. */
	callAction(call: CallRef, action: CallAction): Promise<CallOutcome<null>> {
		return this.callStep(call, false, (ctx) => applyAction(this.sql, action, ctx));
	}

	private async callStep<T>(
		call: CallRef,
		creates: boolean,
		step: (ctx: CallContext) => CallOutcome<T>,
	): Promise<CallOutcome<T>> {
		// An id that holds no call is refused before anything is stored or registered.
		if (!creates && (this.wiped || !loadCall(this.sql))) return refused("callNotFound");
		this.reopen();
		const token = this.incarnation();
		if (!this.settled) await this.settle(call);
		if (!this.sameIncarnation(token)) return refused("callNotFound");
		this.writes.flush(); // operation writes that arrived earlier apply first
		const outcome = this.ctx.storage.transactionSync(() => {
			const ctx = this.callContext();
			const result = step(ctx);
			if (result.ok) this.activity.record(call, ctx.nowIso);
			return result;
		});
		const wake = [nextTimerAt(this.sql), nextDeliveryAt(this.sql)].filter((t): t is number => typeof t === "number");
		if (wake.length) await this.clock.wakeBy(Math.min(...wake));
		return outcome;
	}

	private callContext(): CallContext {
		const nowMs = Date.now();
		const calling = callingDefaults(this.simulation.settings.effective?.calling);
		return { nowMs, nowIso: new Date(nowMs).toISOString(), calling };
	}

	private runCallTimers(): void {
		this.ctx.storage.transactionSync(() => runDueTimers(this.sql, this.callContext()));
	}

	// Until the lead's incarnation counter lands: a reset or expiry (wiped) is the only change of incarnation.
	private incarnation(): number {
		return 0;
	}

	private sameIncarnation(token: number): boolean {
		return token === this.incarnation() && !this.wiped;
	}
}

type Participant = { id: string } & Record<string, unknown>;
