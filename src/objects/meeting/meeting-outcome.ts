import { resultInfoOf } from "../../schema/result-info";

/** What the meeting object answers: plain data across RPC. */
export type MeetingRefusal =
	| { ok: false; error: "meetingNotFound" }
	| { ok: false; error: "participantNotFound" }
	| { ok: false; error: "conflict"; message: string }
	| { ok: false; error: "invalid"; message: string }
	| { ok: false; error: "namespaceFull"; message: string };

export type MeetingOutcome<T> = { ok: true; value: T } | MeetingRefusal;

export const fine = <T>(value: T): MeetingOutcome<T> => ({ ok: true, value });
export const noMeeting = <T>(): MeetingOutcome<T> => ({ ok: false, error: "meetingNotFound" });
export const noParticipant = <T>(): MeetingOutcome<T> => ({ ok: false, error: "participantNotFound" });
export const conflict = <T>(message: string): MeetingOutcome<T> => ({ ok: false, error: "conflict", message });
export const refusedAs = <T>(message: string): MeetingOutcome<T> => ({ ok: false, error: "invalid", message });
export const tooManyMeetings = <T>(cap: number): MeetingOutcome<T> => ({
	ok: false,
	error: "namespaceFull",
	message: `This namespace holds at most ${cap} meetings (MEETINGS_PER_NAMESPACE); delete one, or let one expire, first.`,
});

// How a bot's join fails: 201, then the call ends `deleted`/terminated with one of these (research §9:
// failed joins are reported that way). The codes are *inferred*: Graph documents none for these cases.
export const UNKNOWN_MEETING = resultInfoOf(404, 2203, "The meeting was not found. DiagCode: 404#2203");
export const WRONG_PASSCODE = resultInfoOf(
	403,
	2203,
	"The passcode is not correct for this meeting. DiagCode: 403#2203",
);
export const MEETING_FULL = resultInfoOf(403, 2204, "The meeting is full. DiagCode: 403#2204");
/** An organizer's join that would make a meeting in a namespace holding as many as it may (*inferred*). */
export const NAMESPACE_FULL = resultInfoOf(
	403,
	2205,
	"The namespace holds as many meetings as it may (MEETINGS_PER_NAMESPACE). DiagCode: 403#2205",
);
/** A call of a meeting the tester deleted (*inferred*: 200/5020, the roster emptied). */
export const MEETING_ENDED = resultInfoOf(200, 5020, "The conversation has ended. DiagCode: 0#5020.@");

/** A bot left waiting in the lobby past the meeting's lobby timeout (Graph's documented code). */
export const LOBBY_TIMED_OUT = resultInfoOf(
	200,
	5855,
	"Participant waiting in lobby was removed from the conversation after lobby inactivity timeout.",
);

/** A bot turned away from the lobby by another bot (removeFromLobby): Graph's code for being removed by another participant, applied here *inferred*. */
export const REMOVED_FROM_LOBBY = resultInfoOf(
	200,
	5300,
	"Participant was removed from the conversation by another participant. DiagCode: 0#5300.@",
);

export type JoinRefusal = { ok: false; resultInfo: ReturnType<typeof resultInfoOf> };
