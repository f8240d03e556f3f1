import { DurableObject } from "cloudflare:workers";
import { callObject } from "../../calls/call-object";
import type { BotAction, BotActionReply } from "../../meetings/bot-action";
import { meetingFromName, meetingIdOf } from "../../meetings/meeting-identity";
import type { Participant, PersonAction } from "../../meetings/participant-shape";
import { settingsOf } from "../../settings/settings";
import { AlarmClock } from "../lifecycle/alarm-clock";
import { Turns } from "../lifecycle/turns";
import { applyMigrations, MEETING_MIGRATIONS } from "../migrations";
import { LiveSockets } from "../timeline/live-sockets";
import { MeetingBotActions } from "./bot-actions";
import type { ComplianceRequest, ComplianceView } from "./compliance-record";
import { ComplianceRecording, OBSERVED_CALL_ENDED } from "./compliance-recording";
import { FanOut } from "./fan-out";
import { type FarSideResult, MeetingFarSide } from "./far-side";
import { type CallJoin, type JoinAccepted, MeetingCalls } from "./meeting-calls";
import { MeetingClock } from "./meeting-clock";
import { MeetingExpiry } from "./meeting-expiry";
import { MeetingListing } from "./meeting-listing";
import { type MeetingLive, readMeetingLive } from "./meeting-live";
import {
	conflict,
	fine,
	type JoinRefusal,
	LOBBY_TIMED_OUT,
	MEETING_ENDED,
	type MeetingOutcome,
	NAMESPACE_FULL,
	noMeeting,
	noParticipant,
	REMOVED_FROM_LOBBY,
	refusedAs,
	tooManyMeetings,
} from "./meeting-outcome";
import { type MeetingSettings, MeetingStore } from "./meeting-store";
import { type MeetingView, meetingView } from "./meeting-view";
import type { PersonSpec } from "./people";
import { RosterStore } from "./roster-store";
import { MeetingScript, type ScriptStart, type ScriptStep } from "./script";

/** A fan-out that could not reach a call tries again this much later. */
const RETRY_MS = 1000;

/** Why a write inside a transaction gave up (rolled back, answered as a 400). */
class Refused extends Error {}

/**
 * One meeting of one namespace (named by its chat thread): its roster in order, the calls joined to it,
 * and the fan-out that gives each of them every change in that order. Composed of small parts over its
 * own SQL: the meeting's row (MeetingStore), the roster and its change log (RosterStore), the joined
 * calls as members (MeetingCalls) and the fan-out to them (FanOut), the far side's steps (MeetingFarSide),
 * the script (MeetingScript), and the one alarm with what is due by it (MeetingClock). A tester's DELETE wipes it and starts a new incarnation; whatever awaited
 * something checks the incarnation afterwards and writes nothing more if it changed.
 */
export class Meeting extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	private readonly ref: { namespace: string; threadId: string };
	private store!: MeetingStore;
	private roster!: RosterStore;
	private fanOut!: FanOut;
	private farSide!: MeetingFarSide;
	private script!: MeetingScript;
	private calls!: MeetingCalls;
	private botActions!: MeetingBotActions;
	private clock!: MeetingClock;
	private expiry!: MeetingExpiry;
	private readonly listing: MeetingListing;
	private recording!: ComplianceRecording;
	private incarnation = 0;
	private wiped = false;
	private readonly turns = new Turns();
	/** The live pages watching this meeting's roster (GET /_stub/meetings/{id}/live). */
	private readonly live = new LiveSockets(this.ctx, () => this.liveView());

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		this.ref = meetingFromName(ctx.id.name);
		this.listing = new MeetingListing(env, this.ref.namespace, () => settingsOf(env).meetingsPerNamespace);
		void ctx.blockConcurrencyWhile(async () => this.open());
	}

	private open(): void {
		this.wiped = false;
		applyMigrations(this.ctx.storage, MEETING_MIGRATIONS);
		this.store = new MeetingStore(this.sql);
		this.roster = new RosterStore(this.sql, () => this.live.changed());
		const alarm = new AlarmClock(this.ctx.storage);
		this.expiry = new MeetingExpiry(this.sql, () => settingsOf(this.env).callTtlSeconds * 1000);
		this.script = new MeetingScript(this.sql);
		this.fanOut = new FanOut(this.sql, this.roster, {
			send: (callId, changes) => {
				this.live.changed(); // the page shows how far each call has taken the roster
				return callObject(this.env, this.ref.namespace, callId).meetingChanges(this.ctx.id.name ?? "", changes);
			},
			incarnation: () => this.incarnation,
			gone: (callId) => this.calls.gone(callId),
			retryLater: () => alarm.wakeBy(Date.now() + RETRY_MS),
		});
		this.calls = new MeetingCalls(this.store, this.roster, this.fanOut);
		this.farSide = new MeetingFarSide(this.sql, this.store, this.roster, this.fanOut);
		this.botActions = new MeetingBotActions(this.sql, this.store, this.roster, this.fanOut, this.farSide);
		this.clock = new MeetingClock(alarm, this.script, this.fanOut, this.calls, this.farSide, this.expiry);
		this.recording = new ComplianceRecording(this.sql, this.store, this.roster, this.fanOut, {
			incarnation: () => this.incarnation,
			transaction: (step) => this.ctx.storage.transactionSync(step),
			endCall: (callId) =>
				this.tellCall(callId, (call) => call.callAction({ kind: "farHangUp", resultInfo: OBSERVED_CALL_ENDED })),
		});
	}

	/** The meeting, after any wipe in progress; undefined when there is none. */
	private async current(): Promise<MeetingSettings | undefined> {
		while (this.turns.running) await this.turns.running;
		return this.wiped ? undefined : this.store.settings();
	}

	private isCurrent(incarnation: number): boolean {
		return incarnation === this.incarnation && !this.wiped;
	}

	/** POST /_stub/meetings: a new meeting with the people already in it, and its script. */
	async create(
		settings: MeetingSettings,
		people: PersonSpec[],
		script: ScriptStep[] = [],
		scriptStart: ScriptStart = "created",
	): Promise<MeetingOutcome<MeetingView>> {
		// Inline, not current(): nothing may start between this check and the exclusive turn below.
		while (this.turns.running) await this.turns.running;
		if (!this.wiped && this.store.settings()) return conflict("A meeting with this joinMeetingId already exists.");
		if (this.wiped) this.open();
		if (people.length > settings.maxParticipants)
			return refusedAs(`participants: at most ${settings.maxParticipants} (maxParticipants)`);
		let refusal: MeetingOutcome<MeetingView> | undefined;
		// Listed first (the namespace's cap), stored next, unlisted again if the store refuses (meeting-listing.ts).
		await this.turns.exclusive(async () => {
			const claim = await this.listing.claim(settings.id);
			refusal =
				claim === "full"
					? tooManyMeetings(settingsOf(this.env).meetingsPerNamespace)
					: this.store.settings()
						? conflict("A meeting with this joinMeetingId already exists.")
						: this.storeNew(settings, people, script, scriptStart);
			if (refusal && claim === "added") await this.listing.unlist(settings.id);
		});
		if (refusal) return refusal;
		this.live.changed(); // a page watching this id sees the meeting, even one made with nobody in it yet
		await this.clock.wakeForNext();
		return this.view();
	}

	/** The new meeting, its people and its script, in one transaction; or why not (nothing stored). */
	private storeNew(settings: MeetingSettings, people: PersonSpec[], script: ScriptStep[], scriptStart: ScriptStart) {
		try {
			this.ctx.storage.transactionSync(() => {
				this.store.insert(settings);
				people.forEach((person, i) => {
					const joined = this.farSide.join(settings, person, `participants[${i}].`);
					if (!joined.ok) throw new Refused(joined.message);
				});
				this.script.save(script, scriptStart === "botJoins" ? undefined : Date.parse(settings.createdDateTime));
			});
			return undefined;
		} catch (error) {
			if (error instanceof Refused) return refusedAs<MeetingView>(error.message);
			throw error;
		}
	}

	/** One participant of the roster, by participant id or the tester's key. */
	async participant(idOrKey: string): Promise<MeetingOutcome<Participant>> {
		if (!(await this.current())) return noMeeting();
		const found = this.roster.find(idOrKey);
		return found ? fine(found) : noParticipant();
	}

	async view(): Promise<MeetingOutcome<MeetingView>> {
		const settings = await this.current();
		if (!settings) return noMeeting();
		const view = meetingView(settings, this.roster.list(), this.store.rosterSeq(), this.fanOut.calls());
		return fine({ ...view, script: this.script.summary() });
	}

	/** The far side: someone joins (the tester's person). */
	async join(person: PersonSpec): Promise<MeetingOutcome<Participant>> {
		const settings = await this.current();
		if (!settings) return noMeeting();
		return this.farSideStep(() => this.farSide.join(settings, person));
	}

	/** The far side: someone leaves. A bot's own participant leaves by its call hanging up. */
	async leave(idOrKey: string): Promise<MeetingOutcome<Participant>> {
		if (!(await this.current())) return noMeeting();
		return this.farSideStep(() => this.farSide.leave(idOrKey));
	}

	/** The far side: someone mutes, starts video, shares their screen, is admitted … */
	async act(idOrKey: string, action: PersonAction): Promise<MeetingOutcome<Participant>> {
		if (!(await this.current())) return noMeeting();
		return this.farSideStep(() => this.farSide.act(idOrKey, action));
	}

	/** One far-side step: applied in one transaction, then fanned out; an admitted bot's call goes on. */
	private async farSideStep(step: () => FarSideResult): Promise<MeetingOutcome<Participant>> {
		const result = this.ctx.storage.transactionSync(step);
		if (!result.ok) return result.notFound ? noParticipant() : refusedAs(result.message);
		await this.afterChanges(result.admittedCall ? [result.admittedCall] : []);
		return fine(result.participant);
	}

	/** After changes: every joined call is brought up to date, then admitted bots' calls go on to established. */
	private async afterChanges(admittedCalls: string[]): Promise<void> {
		const incarnation = this.incarnation;
		await this.fanOut.run();
		for (const callId of admittedCalls) {
			if (!this.isCurrent(incarnation)) return;
			await this.tellCall(callId, (call) => call.meetingAdmitted(this.ctx.id.name ?? ""));
		}
	}

	/** DELETE /_stub/meetings/{id}: the meeting is gone, and every call joined to it ends. */
	async remove(): Promise<MeetingOutcome<null>> {
		if (!(await this.current())) return noMeeting();
		const calls = this.fanOut.calls().map((call) => call.call_id);
		const meetingId = meetingIdOf(this.ref.threadId);
		this.incarnation++;
		this.wiped = true;
		await this.turns.exclusive(async () => {
			await this.ctx.storage.deleteAlarm();
			await this.ctx.storage.deleteAll();
			this.clock.alarm.cleared();
			await this.listing.unlist(meetingId);
		});
		this.live.changed(); // the pages watching show the meeting gone
		for (const callId of calls)
			await this.tellCall(callId, (call) => call.callAction({ kind: "farHangUp", resultInfo: MEETING_ENDED }));
		return fine(null);
	}

	/** One request to a joined call's object; a call that cannot be reached is logged (it ends by its own timers). */
	private async tellCall(
		callId: string,
		request: (call: ReturnType<typeof callObject>) => Promise<unknown>,
	): Promise<void> {
		try {
			await request(callObject(this.env, this.ref.namespace, callId));
		} catch (error) {
			console.error("a joined call could not be reached", callId, error);
		}
	}

	/** A bot's call joins: checked, its participant added, everyone else told. The call is not told yet. */
	async joinCall(request: CallJoin): Promise<JoinAccepted | JoinRefusal> {
		let settings = await this.current();
		if (!settings && request.create) {
			// A join that makes the meeting takes a place in the namespace's list first (its cap).
			const made = request.create;
			let claim: string | undefined;
			await this.turns.exclusive(async () => {
				claim = await this.listing.claim(made.id);
			});
			if (claim === "full") return { ok: false, resultInfo: NAMESPACE_FULL };
			settings = await this.current(); // a tester's create may have made it meanwhile
		}
		const refusal = this.calls.refusal(settings, request);
		if (refusal) return refusal;
		if (!settings && this.wiped) this.open();
		const made = settings ?? (request.create as MeetingSettings);
		const accepted = this.ctx.storage.transactionSync(() => this.calls.join(made, request, Date.now()));
		// The Worker creates the call next and says so (callReady); if it never does, the alarm drops the call.
		await this.clock.wakeForNext();
		await this.fanOut.run();
		return accepted;
	}

	/**
	 * A joined bot's own action (lobby, muteAll, recording status, hold music: bot-actions.ts), applied in
	 * the meeting's order: a call that already left, or was never joined, is refused. A bot turned away
	 * from the lobby has its call ended (200/5300, *inferred*); then every joined call is brought up to date.
	 */
	async botAction(callId: string, action: BotAction): Promise<BotActionReply> {
		if (!(await this.current())) return { ok: false, error: "callNotJoined" };
		const result = this.ctx.storage.transactionSync(() => this.botActions.apply(callId, action));
		if (!result.ok) return result;
		const incarnation = this.incarnation;
		for (const removed of result.removedCalls)
			await this.tellCall(removed, (call) => call.callAction({ kind: "farHangUp", resultInfo: REMOVED_FROM_LOBBY }));
		if (this.isCurrent(incarnation)) await this.afterChanges(result.admittedCalls);
		return { ok: true };
	}

	/** The call object exists now: it gets the roster, and every change from here on. */
	async callReady(callId: string): Promise<boolean> {
		if (!(await this.current())) return false;
		const started = this.ctx.storage.transactionSync(() => {
			if (!this.fanOut.markReady(callId)) return undefined;
			return this.script.startIfWaiting(Date.now()); // a script that waited for the first bot starts now
		});
		if (started === undefined) return false;
		const incarnation = this.incarnation;
		await this.fanOut.run();
		if (started && this.isCurrent(incarnation)) await this.clock.wakeForNext();
		return true;
	}

	/** A joined call ended (the bot hung up, or the far side ended it): its bot leaves the roster. */
	async callLeft(callId: string): Promise<void> {
		if (!(await this.current())) return;
		const incarnation = this.incarnation;
		this.ctx.storage.transactionSync(() => this.calls.gone(callId));
		await this.fanOut.run();
		// A compliance recorder's call: the recording policy decides what follows.
		if (this.isCurrent(incarnation)) await this.recording.recorderLeft(callId);
	}

	/** A compliance recording of this meeting (compliance-recording.ts): the tester's and the recorder's requests. */
	async compliance(request: ComplianceRequest): Promise<MeetingOutcome<ComplianceView | null>> {
		const settings = await this.current();
		return settings ? this.recording.handle(settings, request) : noMeeting();
	}

	/**
	 * The meeting's one clock (meeting-clock.ts): runs what is due, ends the calls of bots that waited out
	 * the lobby (200/5855), brings every joined call up to date (a fan-out's retry too); then sets the
	 * next wake-up.
	 */
	async alarm(): Promise<void> {
		const settings = await this.current();
		if (!settings) return;
		this.clock.alarm.cleared();
		if (this.expiry.due(Date.now())) {
			await this.remove(); // idle for the TTL: gone as by a tester's DELETE, its calls ended
			return;
		}
		const due = this.ctx.storage.transactionSync(() => this.clock.due(settings, Date.now()));
		const incarnation = this.incarnation;
		for (const callId of due.waitedOut)
			await this.tellCall(callId, (stub) => stub.callAction({ kind: "farHangUp", resultInfo: LOBBY_TIMED_OUT }));
		if (!this.isCurrent(incarnation)) return;
		await this.afterChanges(due.admitted);
		if (this.isCurrent(incarnation)) await this.clock.wakeForNext();
	}

	/** The live page's WebSocket upgrade (the Worker checked the token): the one request that is not RPC. */
	async fetch(): Promise<Response> {
		await this.current();
		return this.live.accept();
	}

	async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
		if (message !== "refresh") return;
		await this.current();
		this.live.resend(socket);
	}

	webSocketClose(socket: WebSocket, code: number): void {
		try {
			socket.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
		} catch {
			// already closed (the runtime may answer the close itself)
		}
	}

	/** What the live page shows, read in one synchronous step (an ended meeting shows as none). */
	private liveView(): MeetingLive {
		const settings = this.wiped ? undefined : this.store.settings();
		const calls = settings ? this.fanOut.calls() : [];
		return readMeetingLive(this.ref.threadId, settings, this.roster, settings ? this.store.rosterSeq() : 0, calls);
	}
}
