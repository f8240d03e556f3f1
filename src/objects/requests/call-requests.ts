import { DEFAULT_CALL_RECORD_DELAY_MS } from "../../schema/call-records-config";
import { callingDefaults } from "../../schema/calling-config";
import type { FaultRoute } from "../../schema/fault-plan";
import { isTerminal } from "../../schema/operation-status";
import { scriptFor } from "../../schema/stub-config";
import type { CallContext } from "../call/call-context";
import { applyAction } from "../call/call-machine";
import { type CallOutcome, refused } from "../call/call-outcome";
import { hasCall, nextTimerAt } from "../call/call-store";
import { runDueTimers } from "../call/call-timers";
import { endedMeetingToTell } from "../call/meeting-link";
import { fileCallRecord } from "../call/record-sender";
import { recorderNewsToTell } from "../call/recorder-link";
import { type CallSummary, fail, faulted, type Outcome, type StoredOperation } from "../call-results";
import { ActivityLog } from "../lifecycle/activity-log";
import { CallLifecycle } from "../lifecycle/call-lifecycle";
import type { Progression } from "../media/apply-action";
import { settledByTester } from "../media/media-queue";
import { OBSERVED_CALL_ENDED } from "../meeting/compliance-recording";
import { nextDeliveryAt } from "../notifications/outbox";
import { applyWrite, type CallWrite, checkPatch, countOperations } from "../operations/operation-store";
import { ListSignal } from "../timeline/list-signal";
import { LIVE_REQUESTS, loggedRequest } from "../timeline/request-log";
import { noCall, readTimeline, type Timeline } from "../timeline/timeline";
import type { Answered } from "./journal-answer";
import type { JournalQuery } from "./journal-query";
import type { QueuedWrite } from "./queued-write";
import type { PendingRequest } from "./request-facts";
import { DEFAULT_JOURNAL_KEEP } from "./request-journal";

export const withDelay = <T>(outcome: Outcome<T>, delayMs: number): Outcome<T> =>
	delayMs ? { ...outcome, delayMs } : outcome;

/**
 * How each kind of request is applied to the call, in arrival order: reads after the writes that arrived
 * before them, operation writes through the group commit (each in its own savepoint), call-resource steps
 * as one synchronous transaction; every one kept in the call's request journal, in the same transaction
 * as what it wrote (an operation write's entry in its own savepoint), and shown on the live page.
 */
export abstract class CallRequests extends CallLifecycle {
	/** Tells the namespace's registry when what the calls list shows of this call changed. */
	protected readonly listed = new ListSignal(
		async () => {
			const incarnation = this.incarnation;
			const summary = await this.summary();
			return summary && this.isCurrent(incarnation) ? { incarnation, summary } : undefined;
		},
		(summary) => this.registry().callChanged(summary),
		() => this.incarnation,
	);

	/** For /_stub/calls: any call that began (was written or configured), undefined otherwise. */
	abstract summary(): Promise<CallSummary | undefined>;

	protected exists(): boolean {
		return !this.wiped && this.activity.exists;
	}

	protected operationCount() {
		return countOperations(this.sql, this.activity.deletedOperations);
	}

	protected async read<T>(route: FaultRoute, answer: () => Outcome<T>, pending?: PendingRequest): Promise<Outcome<T>> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush(); // a read sees every write that arrived before it
		if (this.wiped) return this.logged(fail("callNotFound"), pending);
		const { fault, delayMs } = this.screened(route, pending);
		return this.loggedLater(fault ? faulted(fault, delayMs) : withDelay(answer(), delayMs), pending);
	}

	/** The fault plan's decision for one request, noted on its journal entry. */
	protected screened(route: FaultRoute, pending: PendingRequest | undefined) {
		const decision = this.simulation.screen(route);
		if (pending) {
			pending.fault = decision.fault;
			pending.delayMs = decision.delayMs;
		}
		return decision;
	}

	protected async write(
		route: FaultRoute,
		write: CallWrite,
		pending?: PendingRequest,
	): Promise<Outcome<StoredOperation>> {
		if (write.kind !== "create") {
			// Only a create brings a call into existence: a patch or a delete of an unknown call registers nothing.
			while (this.turns.running) await this.turns.running;
			this.writes.flush();
			if (!this.exists()) return this.read(route, () => fail("callNotFound"), pending);
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
			const { fault, delayMs } = this.screened(route, pending);
			if (fault) return faulted(fault, delayMs);
			// Its journal entry is written in the write's own savepoint (applyOne), not after it.
			const outcome = await this.writes.submit(pending ? { ...write, pending } : write);
			if (this.isCurrent(incarnation)) {
				const planned = this.simulation.takePlanned();
				if (planned !== undefined) await this.clock.wakeBy(planned);
			}
			return withDelay(outcome, delayMs);
		});
		return this.isCurrent(began) ? this.logged(outcome, pending) : outcome;
	}

	/**
	 * Keeps an answered request in the journal (unless its write's savepoint already did) and tells any
	 * watching page. Only a call that began keeps one: a request to an id that holds nothing stores nothing.
	 */
	protected logged<T extends Answered>(outcome: T, pending?: PendingRequest): T {
		if (pending && this.journalsNow(pending))
			this.requestJournal.record(pending, outcome, this.journalKeep(), new Date().toISOString());
		this.live.changed();
		this.listed.changed();
		return outcome;
	}

	/**
	 * logged(), for a read: its entry is written together with those of the other requests of the same moment
	 * (RequestJournal.later: one commit for a burst of reads), and the answer waits for it. Arrival order is
	 * kept: an entry recorded later writes the waiting ones first.
	 */
	protected async loggedLater<T extends Answered>(outcome: T, pending?: PendingRequest): Promise<T> {
		if (pending && this.journalsNow(pending))
			await this.requestJournal.later(pending, outcome, this.journalKeep(), new Date().toISOString());
		return this.logged(outcome, pending);
	}

	/** Whether `pending` gets an entry now: not kept yet, in a call that began, and journaled at all. */
	private journalsNow(pending: PendingRequest): boolean {
		return !pending.recorded && !this.wiped && this.activity.lastActivity !== undefined && this.journals(pending);
	}

	/** `requestJournal.reads: false`: a GET writes no entry (and so nothing at all). */
	private journals(pending: PendingRequest): boolean {
		return pending.method !== "GET" || this.simulation.settings.effective?.requestJournal?.reads !== false;
	}

	private journalKeep(): number {
		return this.simulation.settings.effective?.requestJournal?.keep ?? DEFAULT_JOURNAL_KEEP;
	}

	/** A tester's read of the journal: not Graph traffic (no fault plan, no Retry-After), not journaled itself. */
	requests(query: JournalQuery) {
		return this.settled(undefined, () => this.requestJournal.page(query));
	}

	/** The live page's view of this call, read in one synchronous step. */
	protected timeline(): Timeline {
		if (this.wiped) return noCall(this.call.callId, []);
		const journal = () => this.simulation.journal();
		const requests = this.requestJournal.newest(LIVE_REQUESTS).map(loggedRequest);
		return readTimeline(this.sql, this.call.callId, this.exists(), requests, journal);
	}

	protected applyBatch(batch: QueuedWrite[]): Outcome<StoredOperation>[] {
		// Reads' entries still waiting are written first, outside the savepoints (which could roll them back).
		this.requestJournal.writeWaiting();
		// A lone write's own transaction is the batch's: no second level around it.
		if (batch.length === 1) return batch.map((write) => this.applyOne(write));
		return this.ctx.storage.transactionSync(() => batch.map((write) => this.applyOne(write)));
	}

	/** One write in its own savepoint: if it fails, it rolls back alone and the rest of its batch still applies. */
	protected applyOne(write: QueuedWrite): Outcome<StoredOperation> {
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
					if (write.pending) this.requestJournal.record(write.pending, outcome, this.journalKeep(), now);
					return outcome;
				}),
			);
			return { ...outcome, rowsWritten };
		} catch (error) {
			console.error("a write failed and was rolled back", write.kind, error);
			this.activity = new ActivityLog(this.sql); // its cached row may hold what was rolled back
			this.requestJournal.forget(); // and so may the journal's count
			if (write.pending) write.pending.recorded = false; // journaled after, as the failure it was
			return { ok: false, error: "unexpected" };
		}
	}

	/** A read of the call in arrival order: after its turn and every write that arrived before it. */
	protected async settled<T>(ifWiped: T, read: () => T): Promise<T> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		return this.wiped ? ifWiped : read();
	}

	protected async callRead<T>(
		read: (sql: SqlStorage) => CallOutcome<T>,
		pending?: PendingRequest,
	): Promise<CallOutcome<T>> {
		const wiped = Promise.resolve(refused<T>("callNotFound"));
		return this.settled(wiped, () => this.loggedLater(read(this.sql), pending));
	}

	/** The tester's progression scripts take over an action's operation when one is set for its type. */
	protected progression(): Progression {
		return {
			scripted: (typeName) => scriptFor(this.simulation.settings.effective, typeName).length > 0,
			plan: (operation, version) => this.simulation.planFor(operation, Date.now(), version),
		};
	}

	/**
	 * One request to the call resource, in arrival order with everything else: an id that holds no call
	 * is refused before anything is stored or registered; the step itself is one synchronous transaction.
	 */
	protected async callStep<T>(
		creates: boolean,
		step: (ctx: CallContext) => CallOutcome<T>,
		pending?: PendingRequest,
	): Promise<CallOutcome<T>> {
		if (!creates) {
			while (this.turns.running) await this.turns.running;
			this.writes.flush();
			if (this.wiped || !hasCall(this.sql)) return this.logged(refused("callNotFound"), pending);
		}
		let incarnation = this.incarnation;
		const outcome = await this.inRegisteredCall(() => {
			incarnation = this.incarnation;
			if (!creates && !hasCall(this.sql)) return refused<T>("callNotFound");
			this.writes.flush(); // operation writes that arrived earlier apply first
			return this.ctx.storage.transactionSync(() => {
				const ctx = this.callContext();
				const result = step(ctx);
				if (result.ok) this.activity.recordWrite(ctx.nowIso);
				return result;
			});
		});
		if (!this.isCurrent(incarnation)) return outcome;
		this.logged(outcome, pending);
		const wake = this.nextWakeAt(nextDeliveryAt(this.sql));
		if (wake !== undefined) await this.clock.wakeBy(wake);
		await this.tellOthers(incarnation);
		return outcome;
	}

	/**
	 * After a step or a timer: what it changed that other objects keep, in this order — a compliance
	 * recorder's news to its observed call, a meeting call's end to its meeting, an ended call's record to
	 * the registry. Each stops if the call was reset or wiped meanwhile.
	 */
	protected async tellOthers(incarnation: number): Promise<void> {
		if (this.isCurrent(incarnation)) await this.tellRecorderNews();
		if (this.isCurrent(incarnation)) await this.tellMeetingIfEnded();
		if (this.isCurrent(incarnation)) await this.fileRecordIfEnded();
	}

	/** A call that ended files its record with the namespace's registry once (src/objects/call/record-filing.ts). */
	private async fileRecordIfEnded(): Promise<void> {
		const incarnation = this.incarnation;
		const config = this.simulation.settings.effective?.callRecords;
		const noticeAt = await fileCallRecord(this.sql, this.ctx.storage, {
			registry: this.registry(),
			meetings: this.env.MEETINGS,
			delayMs: config?.delayMs ?? DEFAULT_CALL_RECORD_DELAY_MS,
			notificationUrl: config?.notificationUrl,
			isCurrent: () => this.isCurrent(incarnation),
		});
		if (noticeAt !== undefined && this.isCurrent(incarnation)) await this.clock.wakeBy(noticeAt);
	}

	/**
	 * A compliance recorder's call tells its observed call, in order, what happened on its side (recorder-link.ts).
	 * The observed call no longer expecting this bot's answer (it ended, or was deleted): the call ends too.
	 */
	private async tellRecorderNews(): Promise<void> {
		const told = this.ctx.storage.transactionSync(() => recorderNewsToTell(this.sql, this.callContext()));
		if (!told) return;
		const incarnation = this.incarnation;
		const wake = this.nextWakeAt(); // a recording deadline may have been set
		if (wake !== undefined) await this.clock.wakeBy(wake);
		for (const news of told.news) {
			if (!this.isCurrent(incarnation)) return;
			let heard = true;
			try {
				const request = { ...news, callId: this.call.callId };
				heard = (await this.env.MEETINGS.getByName(told.meetingName).compliance(request)).ok;
			} catch (error) {
				console.error("an observed call could not be told of its recorder", error); // its own timers go on
			}
			if (!heard && news.kind === "answered" && this.isCurrent(incarnation))
				await this.callStep(false, (ctx) =>
					applyAction(this.sql, { kind: "farHangUp", resultInfo: OBSERVED_CALL_ENDED }, ctx),
				);
		}
	}

	/** A meeting call that ended tells its meeting once, so that its bot leaves everyone's roster. */
	private async tellMeetingIfEnded(): Promise<void> {
		const meetingName = this.ctx.storage.transactionSync(() => endedMeetingToTell(this.sql));
		if (!meetingName) return;
		try {
			await this.env.MEETINGS.getByName(meetingName).callLeft(this.call.callId);
		} catch (error) {
			// The meeting finds the call gone at its next change and drops it then.
			console.error("a meeting could not be told that its call ended", error);
		}
	}

	/** The earliest of the call's timers, its planned transitions and `others` (undefined: none). */
	protected nextWakeAt(...others: (number | undefined)[]): number | undefined {
		const due = [nextTimerAt(this.sql), this.simulation.nextTransitionAt(), ...others].filter(
			(t): t is number => typeof t === "number",
		);
		return due.length ? Math.min(...due) : undefined;
	}

	protected callContext(): CallContext {
		const nowMs = Date.now();
		const calling = callingDefaults(this.simulation.settings.effective?.calling);
		return { nowMs, nowIso: new Date(nowMs).toISOString(), calling };
	}

	protected runCallTimers(): void {
		this.ctx.storage.transactionSync(() => runDueTimers(this.sql, this.callContext()));
	}
}
