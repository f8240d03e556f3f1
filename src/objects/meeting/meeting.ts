import { DurableObject } from "cloudflare:workers";
import { callObject } from "../../calls/call-object";
import { chatInfoOf, meetingFromName } from "../../meetings/meeting-identity";
import { departed, type Participant, type PersonAction, type StreamSpec } from "../../meetings/participant-shape";
import { AlarmClock } from "../lifecycle/alarm-clock";
import { Turns } from "../lifecycle/turns";
import { applyMigrations, MEETING_MIGRATIONS } from "../migrations";
import { LiveSockets } from "../timeline/live-sockets";
import { FanOut } from "./fan-out";
import { type FarSideResult, MeetingFarSide } from "./far-side";
import { waitsInLobby } from "./lobby";
import { type MeetingLive, readMeetingLive } from "./meeting-live";
import {
	conflict,
	fine,
	type JoinRefusal,
	LOBBY_TIMED_OUT,
	MEETING_ENDED,
	MEETING_FULL,
	type MeetingOutcome,
	noMeeting,
	noParticipant,
	refusedAs,
	UNKNOWN_MEETING,
	WRONG_PASSCODE,
} from "./meeting-outcome";
import { type MeetingSettings, MeetingStore } from "./meeting-store";
import { type MeetingView, meetingView } from "./meeting-view";
import { admit, type PersonSpec } from "./people";
import { RosterStore } from "./roster-store";
import { MeetingScript, type ScriptStep } from "./script";

export type JoinCredentials =
	| { kind: "organizer" }
	| { kind: "joinMeetingId"; joinMeetingId: string; passcode: string | null }
	| { kind: "token" };

/** A bot's call joining: its participant (the call's myParticipantId and source) and how it names the meeting. */
export type CallJoin = {
	callId: string;
	bot: { id: string; info: Record<string, unknown>; identity: Record<string, unknown>; streams: StreamSpec[] };
	credentials: JoinCredentials;
	/** The meeting a join makes when none exists (*inferred*; organizer joins only); undefined: it must exist. */
	create?: MeetingSettings;
};
export type JoinAccepted = {
	ok: true;
	chatInfo: ReturnType<typeof chatInfoOf>;
	joinMeetingId: string | null;
	/** The bot waits in the lobby: its call stays establishing until admitted. */
	inLobby: boolean;
};

/** A call that joined and has not said it exists after this long is dropped from the meeting. */
const UNREADY_GRACE_MS = 60_000;
const RETRY_MS = 1000;

/** Why a write inside a transaction gave up (rolled back, answered as a 400). */
class Refused extends Error {}

/**
 * One meeting of one namespace (named by its chat thread): its roster in order, the calls joined to it,
 * and the fan-out that gives each of them every change in that order. Composed of small parts over its
 * own SQL: the meeting's row (MeetingStore), the roster and its change log (RosterStore), the joined
 * calls and the fan-out (FanOut), the far side's steps (MeetingFarSide), the script (MeetingScript) and
 * one alarm (AlarmClock). A tester's DELETE wipes it and starts a new incarnation; whatever awaited
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
	private clock!: AlarmClock;
	private incarnation = 0;
	private wiped = false;
	private readonly turns = new Turns();
	/** The live pages watching this meeting's roster (GET /_stub/meetings/{id}/live). */
	private readonly live = new LiveSockets(this.ctx, () => this.liveView());

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		this.ref = meetingFromName(ctx.id.name);
		void ctx.blockConcurrencyWhile(async () => this.open());
	}

	private open(): void {
		this.wiped = false;
		applyMigrations(this.ctx.storage, MEETING_MIGRATIONS);
		this.store = new MeetingStore(this.sql);
		this.roster = new RosterStore(this.sql, () => this.live.changed());
		this.clock = new AlarmClock(this.ctx.storage);
		this.script = new MeetingScript(this.sql);
		this.fanOut = new FanOut(this.sql, this.roster, {
			send: (callId, changes) => {
				this.live.changed(); // the page shows how far each call has taken the roster
				return callObject(this.env, this.ref.namespace, callId).meetingChanges(this.ctx.id.name ?? "", changes);
			},
			incarnation: () => this.incarnation,
			gone: (callId) => this.callGone(callId),
			retryLater: () => this.clock.wakeBy(Date.now() + RETRY_MS),
		});
		this.farSide = new MeetingFarSide(this.sql, this.store, this.roster, this.fanOut);
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
	): Promise<MeetingOutcome<MeetingView>> {
		if (await this.current()) return conflict("A meeting with this joinMeetingId already exists.");
		if (this.wiped) this.open();
		if (people.length > settings.maxParticipants)
			return refusedAs(`participants: at most ${settings.maxParticipants} (maxParticipants)`);
		try {
			this.ctx.storage.transactionSync(() => {
				this.store.insert(settings);
				people.forEach((person, i) => {
					const joined = this.farSide.join(settings, person, `participants[${i}].`);
					if (!joined.ok) throw new Refused(joined.message);
				});
				this.script.save(script, Date.parse(settings.createdDateTime));
			});
		} catch (error) {
			if (error instanceof Refused) return refusedAs(error.message);
			throw error;
		}
		await this.wakeForNext();
		return this.view();
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
		this.incarnation++;
		this.wiped = true;
		await this.turns.exclusive(async () => {
			await this.ctx.storage.deleteAlarm();
			await this.ctx.storage.deleteAll();
			this.clock.cleared();
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
		if (!settings && !request.create) return { ok: false, resultInfo: UNKNOWN_MEETING };
		const { credentials } = request;
		if (settings && credentials.kind === "joinMeetingId") {
			if (settings.joinMeetingId !== credentials.joinMeetingId) return { ok: false, resultInfo: UNKNOWN_MEETING };
			if (settings.passcode !== null && credentials.passcode !== settings.passcode)
				return { ok: false, resultInfo: WRONG_PASSCODE };
		}
		if (settings && (this.fanOut.count() >= settings.maxCalls || this.roster.count() >= settings.maxParticipants))
			return { ok: false, resultInfo: MEETING_FULL };
		if (!settings) {
			if (this.wiped) this.open();
			settings = request.create as MeetingSettings;
		}
		const made = settings;
		const inLobby = waitsInLobby(made.lobby, request.bot.identity, made.organizer);
		const now = Date.now();
		this.ctx.storage.transactionSync(() => {
			if (!this.store.settings()) this.store.insert(made);
			this.fanOut.add(request.callId, now, inLobby ? now + made.lobby.timeoutMs : null);
			const seq = this.store.nextRosterSeq();
			const bot = admit(
				{ ...request.bot, isInLobby: inLobby },
				this.roster.sourceIds(),
				() => this.store.nextSourceId(),
				seq,
			);
			if (typeof bot === "string") throw new Error(bot); // the stub's own streams never clash
			this.roster.add(bot, { callId: request.callId });
			this.roster.record(seq, [bot]);
		});
		// The Worker creates the call next and says so (callReady); if it never does, the alarm drops the call.
		await this.wakeForNext();
		await this.fanOut.run();
		return { ok: true, chatInfo: chatInfoOf(made.threadId), joinMeetingId: made.joinMeetingId, inLobby };
	}

	/** The call object exists now: it gets the roster, and every change from here on. */
	async callReady(callId: string): Promise<boolean> {
		if (!(await this.current()) || !this.fanOut.markReady(callId)) return false;
		await this.fanOut.run();
		return true;
	}

	/** A joined call ended (the bot hung up, or the far side ended it): its bot leaves the roster. */
	async callLeft(callId: string): Promise<void> {
		if (!(await this.current())) return;
		this.ctx.storage.transactionSync(() => this.callGone(callId));
		await this.fanOut.run();
	}

	/**
	 * The meeting's one clock: runs the script's due steps, drops a joined call that never came to exist,
	 * removes a bot left in the lobby past its timeout (its call ends 200/5855), retries a fan-out; then
	 * sets the next wake-up.
	 */
	async alarm(): Promise<void> {
		const settings = await this.current();
		if (!settings) return;
		this.clock.cleared();
		const now = Date.now();
		const calls = this.fanOut.calls();
		const stale = calls.filter((call) => !call.ready && call.joined_at <= now - UNREADY_GRACE_MS);
		const waitedOut = calls.filter((call) => call.lobby_until !== null && call.lobby_until <= now);
		const admitted = this.ctx.storage.transactionSync(() => {
			for (const call of [...stale, ...waitedOut]) this.callGone(call.call_id);
			return this.runScript(settings, now);
		});
		const incarnation = this.incarnation;
		for (const call of waitedOut)
			await this.tellCall(call.call_id, (stub) => stub.callAction({ kind: "farHangUp", resultInfo: LOBBY_TIMED_OUT }));
		if (!this.isCurrent(incarnation)) return;
		await this.afterChanges(admitted);
		if (this.isCurrent(incarnation)) await this.wakeForNext();
	}

	/** The script's steps due by `nowMs`, in order (inside the alarm's transaction); the calls of admitted bots. */
	private runScript(settings: MeetingSettings, nowMs: number): string[] {
		const admitted: string[] = [];
		for (const { index, step } of this.script.due(nowMs)) {
			const result =
				step.action === "join"
					? this.farSide.join(settings, step.person)
					: step.action === "leave"
						? this.farSide.leave(step.key)
						: this.farSide.act(step.key, step.action);
			this.script.settle(index, result.ok ? undefined : result.message);
			if (result.ok && result.admittedCall) admitted.push(result.admittedCall);
		}
		return admitted;
	}

	/** The earliest of: the script's next step, an unready call's grace, a lobby deadline. */
	private async wakeForNext(): Promise<void> {
		const due = [
			this.script.nextAt(),
			...this.fanOut
				.calls()
				.flatMap((call) => [call.ready ? undefined : call.joined_at + UNREADY_GRACE_MS, call.lobby_until ?? undefined]),
		].filter((t): t is number => t !== undefined);
		if (due.length) await this.clock.wakeBy(Math.min(...due));
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

	private callGone(callId: string): void {
		if (!this.fanOut.remove(callId)) return;
		const bot = this.roster.findByCall(callId);
		if (!bot) return;
		this.roster.remove(bot.id);
		const seq = this.store.nextRosterSeq();
		this.roster.record(seq, [departed(bot, seq)]);
	}
}
