import { DurableObject } from "cloudflare:workers";
import { callObject } from "../../calls/call-object";
import { chatInfoOf, meetingFromName } from "../../meetings/meeting-identity";
import {
	applyPersonAction,
	departed,
	type Participant,
	type PersonAction,
	type StreamSpec,
} from "../../meetings/participant-shape";
import { Turns } from "../lifecycle/turns";
import { applyMigrations, MEETING_MIGRATIONS } from "../migrations";
import { FanOut } from "./fan-out";
import {
	conflict,
	fine,
	type JoinRefusal,
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
export type JoinAccepted = { ok: true; chatInfo: ReturnType<typeof chatInfoOf>; joinMeetingId: string | null };

/** A call that joined and has not said it exists after this long is dropped from the meeting. */
const UNREADY_GRACE_MS = 60_000;

/** Why a write inside a transaction gave up (rolled back, answered as a 400). */
class Refused extends Error {}

/**
 * One meeting of one namespace (named by its chat thread): its roster in order, the calls joined to it,
 * and the fan-out that gives each of them every change in that order. Composed of small parts over its
 * own SQL: the meeting's row (MeetingStore), the roster and its change log (RosterStore), the joined
 * calls and the fan-out (FanOut). A tester's DELETE wipes it and starts a new incarnation; a fan-out
 * pass that finds the incarnation changed after an await writes nothing more.
 */
export class Meeting extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	private readonly ref: { namespace: string; threadId: string };
	private store!: MeetingStore;
	private roster!: RosterStore;
	private fanOut!: FanOut;
	private incarnation = 0;
	private wiped = false;
	private readonly turns = new Turns();

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
		this.roster = new RosterStore(this.sql);
		this.fanOut = new FanOut(this.sql, this.roster, {
			send: (callId, changes) =>
				callObject(this.env, this.ref.namespace, callId).meetingChanges(this.ctx.id.name ?? "", changes),
			incarnation: () => this.incarnation,
			gone: (callId) => this.callGone(callId),
			retryLater: () => this.ctx.storage.setAlarm(Date.now() + 1000),
		});
	}

	/** The meeting, after any wipe in progress; undefined when there is none. */
	private async current(): Promise<MeetingSettings | undefined> {
		while (this.turns.running) await this.turns.running;
		return this.wiped ? undefined : this.store.settings();
	}

	/** POST /_stub/meetings: a new meeting with the people already in it. */
	async create(settings: MeetingSettings, people: PersonSpec[]): Promise<MeetingOutcome<MeetingView>> {
		if (await this.current()) return conflict("A meeting with this joinMeetingId already exists.");
		if (this.wiped) this.open();
		if (people.length > settings.maxParticipants)
			return refusedAs(`participants: at most ${settings.maxParticipants} (maxParticipants)`);
		try {
			this.ctx.storage.transactionSync(() => {
				this.store.insert(settings);
				if (people.length) this.addPeople(people, (i) => `participants[${i}].`);
			});
		} catch (error) {
			if (error instanceof Refused) return refusedAs(error.message);
			throw error;
		}
		return this.view();
	}

	async view(): Promise<MeetingOutcome<MeetingView>> {
		const settings = await this.current();
		if (!settings) return noMeeting();
		return fine(meetingView(settings, this.roster.list(), this.store.rosterSeq(), this.fanOut.calls()));
	}

	/** The far side: someone joins (the tester's person). */
	async join(person: PersonSpec): Promise<MeetingOutcome<Participant>> {
		const settings = await this.current();
		if (!settings) return noMeeting();
		if (this.roster.count() >= settings.maxParticipants)
			return refusedAs(`The meeting holds at most ${settings.maxParticipants} participants.`);
		let added: Participant;
		try {
			added = this.ctx.storage.transactionSync(() => this.addPeople([person], () => "")[0] as Participant);
		} catch (error) {
			if (error instanceof Refused) return refusedAs(error.message);
			throw error;
		}
		await this.fanOut.run();
		return fine(added);
	}

	/** The far side: someone leaves. A bot's own participant leaves by its call hanging up. */
	async leave(idOrKey: string): Promise<MeetingOutcome<null>> {
		if (!(await this.current())) return noMeeting();
		const found = this.roster.find(idOrKey);
		if (!found) return noParticipant();
		if (
			this.sql.exec("SELECT 1 FROM meeting_participants WHERE id = ? AND call_id IS NOT NULL", found.id).toArray()
				.length
		)
			return refusedAs("That participant is a bot's call: hang the call up instead.");
		this.ctx.storage.transactionSync(() => {
			this.roster.remove(found.id);
			const seq = this.store.nextRosterSeq();
			this.roster.record(seq, [departed(found, seq)]);
		});
		await this.fanOut.run();
		return fine(null);
	}

	/** The far side: someone mutes, starts video, shares their screen … */
	async act(idOrKey: string, action: PersonAction): Promise<MeetingOutcome<Participant>> {
		if (!(await this.current())) return noMeeting();
		const found = this.roster.find(idOrKey);
		if (!found) return noParticipant();
		const changed = this.ctx.storage.transactionSync(() => {
			const next = applyPersonAction(found, action, () => this.store.nextSourceId());
			if (!next) return found; // already so: no change, no notification
			const seq = this.store.nextRosterSeq();
			const stamped = { ...next, rosterSequenceNumber: seq };
			this.roster.update(stamped);
			this.roster.record(seq, [stamped]);
			return stamped;
		});
		await this.fanOut.run();
		return fine(changed);
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
		});
		for (const callId of calls) {
			try {
				await callObject(this.env, this.ref.namespace, callId).callAction({
					kind: "farHangUp",
					resultInfo: MEETING_ENDED,
				});
			} catch (error) {
				console.error("a call of a deleted meeting could not be ended", callId, error);
			}
		}
		return fine(null);
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
		this.ctx.storage.transactionSync(() => {
			if (!this.store.settings()) this.store.insert(made);
			this.fanOut.add(request.callId, Date.now());
			const seq = this.store.nextRosterSeq();
			const bot = admit(request.bot, this.roster.sourceIds(), () => this.store.nextSourceId(), seq);
			if (typeof bot === "string") throw new Error(bot); // the stub's own streams never clash
			this.roster.add(bot, { callId: request.callId });
			this.roster.record(seq, [bot]);
		});
		// The Worker creates the call next and says so (callReady); if it never does, the alarm drops the call.
		const incarnation = this.incarnation;
		if ((await this.ctx.storage.getAlarm()) === null && incarnation === this.incarnation && !this.wiped)
			await this.ctx.storage.setAlarm(Date.now() + UNREADY_GRACE_MS);
		await this.fanOut.run();
		return { ok: true, chatInfo: chatInfoOf(made.threadId), joinMeetingId: made.joinMeetingId };
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

	/** Retries a fan-out that could not reach a call; drops a joined call that never came to exist. */
	async alarm(): Promise<void> {
		if (!(await this.current())) return;
		const stale = this.fanOut.calls().filter((call) => !call.ready && call.joined_at < Date.now() - UNREADY_GRACE_MS);
		this.ctx.storage.transactionSync(() => {
			for (const call of stale) this.callGone(call.call_id);
		});
		await this.fanOut.run();
		if (this.fanOut.calls().some((call) => !call.ready)) await this.ctx.storage.setAlarm(Date.now() + UNREADY_GRACE_MS);
	}

	private callGone(callId: string): void {
		if (!this.fanOut.remove(callId)) return;
		const bot = this.roster.findByCall(callId);
		if (!bot) return;
		this.roster.remove(bot.id);
		const seq = this.store.nextRosterSeq();
		this.roster.record(seq, [departed(bot, seq)]);
	}

	/** Adds people in order (inside the caller's transaction), each change recorded; throws Refused. */
	private addPeople(people: PersonSpec[], at: (i: number) => string): Participant[] {
		const inUse = this.roster.sourceIds();
		return people.map((person, i) => {
			if (person.key !== undefined && this.roster.hasKey(person.key))
				throw new Refused(`${at(i)}key: '${person.key}' is already in this meeting`);
			const seq = this.store.nextRosterSeq();
			const made = admit({ ...person, id: crypto.randomUUID() }, inUse, () => this.store.nextSourceId(), seq);
			if (typeof made === "string") throw new Refused(`${at(i)}streams: ${made}`);
			this.roster.add(made, { key: person.key });
			this.roster.record(seq, [made]);
			return made;
		});
	}
}
