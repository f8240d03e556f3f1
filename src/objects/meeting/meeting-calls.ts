import { chatInfoOf } from "../../meetings/meeting-identity";
import { departed, type StreamSpec } from "../../meetings/participant-shape";
import type { FanOut } from "./fan-out";
import { waitsInLobby } from "./lobby";
import { type JoinRefusal, MEETING_FULL, UNKNOWN_MEETING, WRONG_PASSCODE } from "./meeting-outcome";
import type { MeetingSettings, MeetingStore } from "./meeting-store";
import { admit } from "./people";
import type { RosterStore } from "./roster-store";

// The calls joined to a meeting as members: whether a bot's call may join (the meeting exists, the
// passcode, the bounds), its bot's participant added, and the bot leaving when its call goes. Each a
// synchronous step; the meeting runs them inside its transactions and fans out afterwards.

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

export class MeetingCalls {
	constructor(
		private readonly store: MeetingStore,
		private readonly roster: RosterStore,
		private readonly fanOut: FanOut,
	) {}

	/** Why `request` may not join the meeting as it is (`settings`, undefined: none yet), if it may not. */
	refusal(settings: MeetingSettings | undefined, request: CallJoin): JoinRefusal | undefined {
		if (!settings) return request.create ? undefined : { ok: false, resultInfo: UNKNOWN_MEETING };
		const { credentials } = request;
		if (credentials.kind === "joinMeetingId") {
			if (settings.joinMeetingId !== credentials.joinMeetingId) return { ok: false, resultInfo: UNKNOWN_MEETING };
			if (settings.passcode !== null && credentials.passcode !== settings.passcode)
				return { ok: false, resultInfo: WRONG_PASSCODE };
		}
		if (this.fanOut.count() >= settings.maxCalls || this.roster.count() >= settings.maxParticipants)
			return { ok: false, resultInfo: MEETING_FULL };
		return undefined;
	}

	/** The call joins `settings`' meeting (stored now if a join makes it): its bot enters the roster, in the lobby or not. */
	join(settings: MeetingSettings, request: CallJoin, nowMs: number): JoinAccepted {
		const inLobby = waitsInLobby(settings.lobby, request.bot.identity, settings.organizer);
		if (!this.store.settings()) this.store.insert(settings);
		this.fanOut.add(request.callId, nowMs, inLobby ? nowMs + settings.lobby.timeoutMs : null);
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
		return { ok: true, chatInfo: chatInfoOf(settings.threadId), joinMeetingId: settings.joinMeetingId, inLobby };
	}

	/** A joined call is gone (ended, never came to exist, waited out the lobby): its bot leaves the roster. */
	gone(callId: string): void {
		if (!this.fanOut.remove(callId)) return;
		const bot = this.roster.findByCall(callId);
		if (!bot) return;
		this.roster.remove(bot.id);
		const seq = this.store.nextRosterSeq();
		this.roster.record(seq, [departed(bot, seq)]);
	}
}
