import { DurableObject } from "cloudflare:workers";
import type { ApiVersion } from "../schema/api-version";
import { callingDefaults } from "../schema/calling-config";
import type { FaultRoute } from "../schema/fault-plan";
import { isTerminal } from "../schema/operation-status";
import { type StubConfig, scriptFor } from "../schema/stub-config";
import { settingsOf } from "../settings/settings";
import type { CallContext } from "./call/call-context";
import {
	applyAction,
	type CallAction,
	callSummary,
	createOutgoing,
	readCall,
	startIncoming,
} from "./call/call-machine";
import { type CallOutcome, done, refused } from "./call/call-outcome";
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
import { callFromName } from "./lifecycle/call-name";
import { Turns } from "./lifecycle/turns";
import { type ActionOutcome, type ActionRequest, actionOutcome } from "./media/action-request";
import { applyOperationAction, type Progression } from "./media/apply-action";
import {
	changeRoster,
	deleteParticipant,
	pressTones,
	readParticipant,
	readParticipants,
	setNextRecordingAudio,
} from "./media/far-side";
import { settledByTester } from "./media/media-queue";
import { readRecording } from "./media/recordings";
import { applyMigrations, CALL_MIGRATIONS } from "./migrations";
import { nextDeliveryAt } from "./notifications/outbox";
import { GroupCommit } from "./operations/group-commit";
import type { NewOperation } from "./operations/operation-document";
import {
	applyWrite,
	type CallWrite,
	checkPatch,
	countOperations,
	findOperation,
	listPage,
	missing,
} from "./operations/operation-store";
import { RowsWrittenMeter } from "./operations/rows-written";
import { CallSimulation } from "./simulation/call-simulation";
import type { FaultDecision } from "./simulation/fault-decision";
import type { JournalEntry } from "./simulation/fault-screen";
import { LiveSockets } from "./timeline/live-sockets";
import { RequestLog } from "./timeline/request-log";
import { noCall, readTimeline, type Timeline } from "./timeline/timeline";

const withDelay = <T>(outcome: Outcome<T>, delayMs: number): Outcome<T> =>
	delayMs ? { ...outcome, delayMs } : outcome;

/**
 * One call of one tester namespace: its operations, and the one clock (its alarm) that moves them along,
 * delivers notifications and expires the idle call. Every request is applied in arrival order: writes
 * through one group commit, reads after the writes that arrived before them.
 *
 * A reset or an expiry wipes the object and starts a new incarnation. Whatever awaits something
 * (registering with the namespace's registry, a notification's POST) checks afterwards that the
 * incarnation it began in is still the current one, and writes nothing otherwise.
 */
export class CallOperations extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	/** The call this object stands for, from its own name: never from what a caller passes. */
	private readonly call: CallRef;
	private readonly meter: RowsWrittenMeter;
	private readonly writes = new GroupCommit<CallWrite, Outcome<StoredOperation>>((batch) => this.applyBatch(batch));
	private simulation!: CallSimulation;
	private activity!: ActivityLog;
	private clock!: AlarmClock;
	/** Advances with every wipe; a step compares it before and after each `await`. */
	private incarnation = 0;
	// Emptied by a reset or an expiry: nothing is stored, not even the schema, until the next write.
	private wiped = false;
	private readonly turns = new Turns();
	/** For the live page: the last requests answered (in memory), and the pages watching. */
	private readonly requests = new RequestLog();
	private readonly live = new LiveSockets(this.ctx, () => this.timeline());

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.meter = new RowsWrittenMeter(ctx.storage.sql);
		this.sql = this.meter.sql;
		this.call = callFromName(ctx.id.name);
		void ctx.blockConcurrencyWhile(async () => {
			this.open();
			// An object that only served reads (a call that never began) wipes itself a TTL later.
			if (this.activity.lastActivity === undefined) await this.clock.wakeBy(Date.now() + this.ttlMs());
		});
	}

	createOperation(operation: NewOperation): Promise<Outcome<StoredOperation>> {
		return this.write("create", { kind: "create", operation });
	}

	/** The body is validated inside the write, against the operation's type as stored at that moment. */
	patchOperation(id: string, version: ApiVersion, body: Record<string, unknown>): Promise<Outcome<StoredOperation>> {
		return this.write("patch", { kind: "patch", id, version, body });
	}

	async deleteOperation(id: string): Promise<Outcome<number>> {
		const outcome = await this.write("delete", { kind: "delete", id });
		return outcome.ok ? withDelay(ok(outcome.value.seq), outcome.delayMs ?? 0) : outcome;
	}

	async getOperation(id: string): Promise<Outcome<StoredOperation>> {
		return this.read("get", () => {
			const row = findOperation(this.sql, id);
			return row ? ok({ seq: row.seq, json: row.body }) : missing(this.sql);
		});
	}

	async listOperations(afterSeq: number, top: number, withCount: boolean): Promise<Outcome<Page>> {
		return this.read("list", () =>
			this.exists()
				? ok(listPage(this.sql, afterSeq, top, withCount ? this.operationCount() : undefined))
				: fail("callNotFound"),
		);
	}

	async countOperations(): Promise<Outcome<number>> {
		return this.read("count", () => (this.exists() ? ok(this.operationCount().value) : fail("callNotFound")));
	}

	/** For /_stub/calls: any call that began (was written or configured), undefined otherwise. */
	async summary(): Promise<CallSummary | undefined> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		const lastActivity = this.wiped ? undefined : this.activity.lastActivity;
		if (lastActivity === undefined) return undefined;
		return {
			callId: this.call.callId,
			operationCount: this.operationCount().value,
			lastActivity,
			...callSummary(this.sql), // the call's state and direction, when it is a call resource
		};
	}

	/** This call's own configuration (undefined: back to the namespace default). */
	async setConfig(config: StubConfig | undefined) {
		return this.inRegisteredCall(() => {
			this.writes.flush(); // writes that arrived earlier apply under the configuration they found
			this.activity.touch(new Date().toISOString());
			return this.simulation.setOwn(config);
		});
	}

	/** The namespace default, pushed by the registry. */
	async inheritConfig(config: StubConfig | undefined): Promise<void> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		// A wiped call learns the default again when its next write registers it.
		if (!this.wiped) this.simulation.setInherited(config);
	}

	async getConfig() {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		return this.wiped ? { own: null, inherited: null, effective: null } : this.simulation.settings.view();
	}

	async notifications() {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		return this.wiped ? [] : this.simulation.notifications();
	}

	async journal(): Promise<JournalEntry[]> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		return this.wiped ? [] : this.simulation.journal();
	}

	/** Removes the call entirely, configuration included: its next create starts again at sequence 1. */
	async reset(): Promise<void> {
		while (this.turns.running) await this.turns.running;
		await this.wipe(true);
	}

	/** The call's one clock: idle expiry, else due transitions and notifications; then the next wake-up. */
	async alarm(): Promise<void> {
		while (this.turns.running) await this.turns.running;
		if (this.wiped) return;
		this.clock.cleared();
		this.writes.flush(); // writes that arrived before this alarm apply before it
		const expiry = this.activity.expiresAt(this.ttlMs());
		// Decided and done in one step: no write can land between the check and the wipe.
		if (expiry === undefined || expiry <= Date.now()) return this.wipe(expiry !== undefined);
		const incarnation = this.incarnation;
		this.runCallTimers(); // the call's own due steps, before delivery
		const deliverAt = await this.simulation.tick(this.ctx.storage, this.call.callId, () => this.isCurrent(incarnation));
		if (!this.isCurrent(incarnation)) return; // reset meanwhile: the new incarnation has its own clock
		this.live.changed(); // timers ran, notifications were tried
		const expiryAt = this.activity.expiresAt(this.ttlMs()) ?? expiry;
		const next = [this.simulation.nextTransitionAt(), nextTimerAt(this.sql), deliverAt, expiryAt].filter(
			(t): t is number => typeof t === "number",
		);
		await this.clock.wakeBy(Math.min(...next));
	}

	private open(): void {
		this.wiped = false;
		applyMigrations(this.ctx.storage, CALL_MIGRATIONS);
		this.simulation = new CallSimulation(this.sql, this.env);
		this.activity = new ActivityLog(this.sql);
		this.clock = new AlarmClock(this.ctx.storage);
		const stored = this.activity.call;
		if (stored && (stored.namespace !== this.call.namespace || stored.callId !== this.call.callId))
			throw new Error("this object's storage belongs to another call");
	}

	/** After a reset or expiry, the next write brings the schema back (synchronously: nothing interleaves). */
	private reopen(): void {
		if (this.wiped) this.open();
	}

	private isCurrent(incarnation: number): boolean {
		return incarnation === this.incarnation && !this.wiped;
	}

	private exists(): boolean {
		return !this.wiped && this.activity.exists;
	}

	private operationCount() {
		return countOperations(this.sql, this.activity.deletedOperations);
	}

	private async read<T>(route: FaultRoute, answer: () => Outcome<T>): Promise<Outcome<T>> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush(); // a read sees every write that arrived before it
		if (this.wiped) return this.logged(route, fail("callNotFound"));
		const { fault, delayMs } = this.simulation.screen(route);
		return this.logged(route, fault ? faulted(fault, delayMs) : withDelay(answer(), delayMs));
	}

	private async write(route: FaultRoute, write: CallWrite): Promise<Outcome<StoredOperation>> {
		if (write.kind !== "create") {
			// Only a create brings a call into existence: a patch or a delete of an unknown call registers nothing.
			while (this.turns.running) await this.turns.running;
			this.writes.flush();
			if (!this.exists()) return this.read(route, () => fail("callNotFound"));
		}
		const began = this.incarnation;
		const outcome = await this.inRegisteredCall(async (): Promise<Outcome<StoredOperation>> => {
			const incarnation = this.incarnation;
			if (write.kind === "patch") {
				// Validated before the fault plan sees it, like every other body (every earlier write is applied,
				// so this is the operation the patch will apply to); applyWrite checks it again, unchanged.
				this.writes.flush();
				const checked = checkPatch(this.sql, write);
				if (!checked.ok) return checked;
			}
			const { fault, delayMs } = this.simulation.screen(route);
			if (fault) return faulted(fault, delayMs);
			const outcome = await this.writes.submit(write);
			if (this.isCurrent(incarnation)) {
				const planned = this.simulation.takePlanned();
				if (planned !== undefined) await this.clock.wakeBy(planned);
			}
			return withDelay(outcome, delayMs);
		});
		return this.isCurrent(began) ? this.logged(route, outcome) : outcome;
	}

	/** Notes an answered request for the live page (in memory only) and tells any watching page. */
	private logged<T extends { ok: boolean }>(route: string, outcome: T): T {
		this.requests.record(route, outcome);
		this.live.changed();
		return outcome;
	}

	/** The live page's view of this call, read in one synchronous step. */
	private timeline(): Timeline {
		if (this.wiped) return noCall(this.call.callId, this.requests.list());
		const journal = () => this.simulation.journal();
		return readTimeline(this.sql, this.call.callId, this.exists(), this.requests.list(), journal);
	}

	/** The live page's WebSocket upgrade (the Worker checked the token): the one request that is not RPC. */
	async fetch(): Promise<Response> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		return this.live.accept();
	}

	async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
		if (message !== "refresh") return;
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		this.live.resend(socket);
	}

	webSocketClose(socket: WebSocket, code: number): void {
		try {
			socket.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
		} catch {
			// already closed (the runtime may answer the close itself)
		}
	}

	/**
	 * Runs `act` in a registered incarnation of the call, in arrival order. The first write or
	 * configuration of an incarnation registers it (once), so that the namespace's default configuration
	 * applies to it; requests that arrive meanwhile wait their turn. `act` starts synchronously after the
	 * last check, so nothing can come between the check and the act.
	 */
	private async inRegisteredCall<T>(act: () => T): Promise<T> {
		for (let tried = false; ; tried = true) {
			while (this.turns.running) await this.turns.running;
			this.reopen();
			// A failed registration is tried again by the next request; this one goes on without the default.
			if (this.activity.registered || tried) return act();
			await this.turns.exclusive(() => this.register());
		}
	}

	/** Begins the incarnation (its call_info row), registers it, learns the namespace default, arms the expiry. */
	private async register(): Promise<void> {
		const incarnation = this.incarnation;
		this.activity.begin(this.call, new Date().toISOString());
		try {
			const inherited = await this.registry().register(this.call.callId);
			if (!this.isCurrent(incarnation)) return;
			this.simulation.setInherited(inherited ?? undefined);
			this.activity.markRegistered();
		} catch (error) {
			console.error("registering call failed", error);
		}
		if (this.isCurrent(incarnation)) await this.clock.wakeBy(Date.now() + this.ttlMs());
	}

	/**
	 * The one reset protocol, for a tester's reset and for expiry: writes that arrived before it apply
	 * first; then, with every later request waiting, the store is emptied and the registry forgets the
	 * call. A step still awaiting something from before finds a new incarnation and writes nothing.
	 */
	private wipe(forget: boolean): Promise<void> {
		this.writes.flush();
		this.incarnation++;
		this.wiped = true;
		this.requests.clear();
		this.live.changed();
		return this.turns.exclusive(async () => {
			await this.ctx.storage.deleteAlarm();
			await this.ctx.storage.deleteAll();
			this.clock.cleared();
			if (forget) await this.registry().forget(this.call.callId);
		});
	}

	private applyBatch(batch: CallWrite[]): Outcome<StoredOperation>[] {
		return this.ctx.storage.transactionSync(() => batch.map((write) => this.applyOne(write)));
	}

	/** One write in its own savepoint: if it fails, it rolls back alone and the rest of its batch still applies. */
	private applyOne(write: CallWrite): Outcome<StoredOperation> {
		const now = new Date().toISOString();
		try {
			const [outcome, rowsWritten] = this.meter.measure(() =>
				this.ctx.storage.transactionSync(() => {
					const outcome = applyWrite(this.sql, write, now);
					if (outcome.ok) {
						this.activity.recordWrite(now);
						if (write.kind === "delete") this.activity.recordDeletedOperation();
						this.simulation.afterWrite(write, outcome.value, Date.parse(now));
						// A tester's terminal PATCH of an action's operation is where that operation ends.
						if (write.kind === "patch" && isTerminal((JSON.parse(outcome.value.json) as { status: string }).status))
							settledByTester(this.sql, write.id, this.callContext());
					}
					return outcome;
				}),
			);
			return { ...outcome, rowsWritten };
		} catch (error) {
			console.error("a write failed and was rolled back", write.kind, error);
			this.activity = new ActivityLog(this.sql); // its cached row may hold what was rolled back
			return { ok: false, error: "unexpected" };
		}
	}

	private registry() {
		return this.env.REGISTRIES.getByName(this.call.namespace);
	}

	private ttlMs = () => settingsOf(this.env).callTtlSeconds * 1000;

	// ---- The call resource (src/objects/call/): thin RPC, one synchronous step per request. ----

	/** POST /communications/calls: the Worker built the call (and its id); stored `establishing`. */
	createCall(document: CallDocument, participants: Participant[]): Promise<CallOutcome<string>> {
		return this.callStep("createCall", true, (ctx) => createOutgoing(this.sql, document, participants, ctx));
	}

	/** POST /_stub/incoming-calls: a callbackUri of null means the configured one (none: refused). */
	startIncomingCall(
		document: CallDocument,
		participants: Participant[],
		answerTimeoutMs: number | undefined,
	): Promise<CallOutcome<string>> {
		return this.callStep("incomingCall", true, (ctx) => {
			const callbackUri = document.callbackUri ?? this.simulation.settings.effective?.callbackUri;
			if (typeof callbackUri !== "string") return refused("noCallbackUri");
			const timeout = answerTimeoutMs ?? ctx.calling.answerTimeoutMs;
			return startIncoming(this.sql, { ...document, callbackUri }, participants, timeout, ctx);
		});
	}

	async getCall(): Promise<CallOutcome<string>> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		return this.logged("getCall", this.wiped ? refused("callNotFound") : readCall(this.sql));
	}

	/** answer, reject, redirect, transfer, keepAlive, hang up (either side): CALL_REQUESTS says when. */
	callAction(action: CallAction): Promise<CallOutcome<null>> {
		return this.callStep(action.kind, false, (ctx) => applyAction(this.sql, action, ctx));
	}

	// ---- Actions that make operations, participants, the far side (src/objects/media/): thin RPC. ----

	/** playPrompt, recordResponse, mute, invite …: one step for all (the Worker's table describes each). */
	async operationAction(request: ActionRequest): Promise<ActionOutcome> {
		let decision: FaultDecision | undefined;
		const outcome = await this.callStep<StoredOperation | null>(request.name, false, (ctx) => {
			decision = this.simulation.screen(request.name);
			if (decision.fault) return done(null);
			return applyOperationAction(this.sql, request, ctx, this.progression());
		});
		return actionOutcome(outcome, decision);
	}

	async participants() {
		return this.callRead((sql) => readParticipants(sql));
	}

	async participant(participantId: string) {
		return this.callRead((sql) => readParticipant(sql, participantId));
	}

	removeParticipant(participantId: string): Promise<CallOutcome<null>> {
		return this.callStep("deleteParticipant", false, (ctx) => deleteParticipant(this.sql, participantId, ctx));
	}

	pressTones(tones: string[], delayMs: number): Promise<CallOutcome<null>> {
		return this.callStep("tones", false, (ctx) => pressTones(this.sql, tones, delayMs, ctx));
	}

	changeRoster(change: { join: Record<string, unknown>[]; leave: string[] }): Promise<CallOutcome<null>> {
		return this.callStep("roster", false, (ctx) => changeRoster(this.sql, change, ctx));
	}

	supplyRecordingAudio(pcm: Uint8Array): Promise<CallOutcome<null>> {
		return this.callStep("recording", false, () => setNextRecordingAudio(this.sql, pcm));
	}

	/** A recording's WAV, only for its access token; undefined for anything else. */
	async recording(id: string, token: string): Promise<Uint8Array | undefined> {
		while (this.turns.running) await this.turns.running;
		return this.wiped ? undefined : readRecording(this.sql, id, token);
	}

	private async callRead<T>(read: (sql: SqlStorage) => CallOutcome<T>): Promise<CallOutcome<T>> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		return this.wiped ? refused("callNotFound") : read(this.sql);
	}

	/** The tester's progression scripts take over an action's operation when one is set for its type. */
	private progression(): Progression {
		return {
			scripted: (typeName) => scriptFor(this.simulation.settings.effective, typeName).length > 0,
			plan: (operation) => this.simulation.planFor(operation, Date.now()),
		};
	}

	/**
	 * One request to the call resource, in arrival order with everything else: an id that holds no call
	 * is refused before anything is stored or registered; the step itself is one synchronous transaction.
	 */
	private async callStep<T>(
		route: string,
		creates: boolean,
		step: (ctx: CallContext) => CallOutcome<T>,
	): Promise<CallOutcome<T>> {
		if (!creates) {
			while (this.turns.running) await this.turns.running;
			this.writes.flush();
			if (this.wiped || !loadCall(this.sql)) return this.logged(route, refused("callNotFound"));
		}
		let incarnation = this.incarnation;
		const outcome = await this.inRegisteredCall(() => {
			incarnation = this.incarnation;
			if (!creates && !loadCall(this.sql)) return refused<T>("callNotFound");
			this.writes.flush(); // operation writes that arrived earlier apply first
			return this.ctx.storage.transactionSync(() => {
				const ctx = this.callContext();
				const result = step(ctx);
				if (result.ok) this.activity.recordWrite(ctx.nowIso);
				return result;
			});
		});
		if (!this.isCurrent(incarnation)) return outcome;
		this.logged(route, outcome);
		const wake = [nextTimerAt(this.sql), nextDeliveryAt(this.sql), this.simulation.nextTransitionAt()].filter(
			(t): t is number => typeof t === "number",
		);
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
}

type Participant = { id: string } & Record<string, unknown>;
