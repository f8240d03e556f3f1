import { DurableObject } from "cloudflare:workers";
import { settingsOf } from "../../settings/settings";
import type { CallRef, Outcome, StoredOperation } from "../call-results";
import { applyMigrations, CALL_MIGRATIONS } from "../migrations";
import { GroupCommit } from "../operations/group-commit";
import { RowsWrittenMeter } from "../operations/rows-written";
import type { QueuedWrite } from "../requests/queued-write";
import { RequestJournal } from "../requests/request-journal";
import { CallSimulation } from "../simulation/call-simulation";
import { LiveSockets } from "../timeline/live-sockets";
import type { Timeline } from "../timeline/timeline";
import { ActivityLog } from "./activity-log";
import { AlarmClock } from "./alarm-clock";
import { callFromName } from "./call-name";
import { Turns } from "./turns";

/**
 * What makes a call object one call: its storage opened (schema migrated), its identity from its own
 * name, its incarnation (advanced by every wipe), the turn that keeps requests in arrival order across
 * registration and wipes, and the one reset protocol. src/objects/call-operations.ts is the RPC surface.
 */
export abstract class CallLifecycle extends DurableObject<Env> {
	protected readonly sql: SqlStorage;
	/** The call this object stands for, from its own name: never from what a caller passes. */
	protected readonly call: CallRef;
	protected readonly meter: RowsWrittenMeter;
	protected readonly writes = new GroupCommit<QueuedWrite, Outcome<StoredOperation>>(
		(batch) => this.applyBatch(batch),
		() => this.ctx.storage.sync(),
	);
	protected simulation!: CallSimulation;
	protected activity!: ActivityLog;
	protected clock!: AlarmClock;
	/** Every request this incarnation answered (wiped with it). */
	protected requestJournal!: RequestJournal;
	/** Advances with every wipe; a step compares it before and after each `await`. */
	protected incarnation = 0;
	// Emptied by a reset or an expiry: nothing is stored, not even the schema, until the next write.
	protected wiped = false;
	protected readonly turns = new Turns();
	/** The live pages watching this call. */
	protected readonly live = new LiveSockets(this.ctx, () => this.timeline());

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

	protected open(): void {
		this.wiped = false;
		applyMigrations(this.ctx.storage, CALL_MIGRATIONS);
		this.simulation = new CallSimulation(this.sql, this.env);
		this.activity = new ActivityLog(this.sql);
		this.clock = new AlarmClock(this.ctx.storage);
		this.requestJournal = new RequestJournal(this.sql);
		const stored = this.activity.call;
		if (stored && (stored.namespace !== this.call.namespace || stored.callId !== this.call.callId))
			throw new Error("this object's storage belongs to another call");
	}

	/** After a reset or expiry, the next write brings the schema back (synchronously: nothing interleaves). */
	protected reopen(): void {
		if (this.wiped) this.open();
	}

	protected isCurrent(incarnation: number): boolean {
		return incarnation === this.incarnation && !this.wiped;
	}

	/**
	 * Runs `act` in a registered incarnation of the call, in arrival order. The first write or
	 * configuration of an incarnation registers it (once), so that the namespace's default configuration
	 * applies to it; requests that arrive meanwhile wait their turn. `act` starts synchronously after the
	 * last check, so nothing can come between the check and the act.
	 */
	protected async inRegisteredCall<T>(act: () => T): Promise<T> {
		for (let tried = false; ; tried = true) {
			while (this.turns.running) await this.turns.running;
			this.reopen();
			// A failed registration is tried again by the next request; this one goes on without the default.
			if (this.activity.registered || tried) return act();
			await this.turns.exclusive(() => this.register());
		}
	}

	/** Begins the incarnation (its call_info row), registers it, learns the namespace default, arms the expiry. */
	protected async register(): Promise<void> {
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
	protected wipe(forget: boolean): Promise<void> {
		this.writes.flush();
		this.requestJournal.writeWaiting(); // reads answered before the wipe keep their entries until it
		this.incarnation++;
		this.wiped = true;
		this.live.changed();
		return this.turns.exclusive(async () => {
			await this.ctx.storage.deleteAlarm();
			await this.ctx.storage.deleteAll();
			this.clock.cleared();
			if (forget) await this.registry().forget(this.call.callId);
		});
	}

	protected registry() {
		return this.env.REGISTRIES.getByName(this.call.namespace);
	}

	protected ttlMs = () => settingsOf(this.env).callTtlSeconds * 1000;

	/** Applies one group-commit batch (src/objects/requests/call-requests.ts). */
	protected abstract applyBatch(batch: QueuedWrite[]): Outcome<StoredOperation>[];

	/** The live page's view of the call (src/objects/requests/call-requests.ts). */
	protected abstract timeline(): Timeline;
}
