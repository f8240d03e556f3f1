import { meetingIdOf } from "../../meetings/meeting-identity";
import type { Participant } from "../../meetings/participant-shape";
import { type RosterEvent, rosterEvents } from "../../meetings/roster-events";
import type { MeetingSettings } from "./meeting-store";
import type { RosterStore } from "./roster-store";

// What the live page shows of a meeting (GET /_stub/meetings/{id}/live), read in one synchronous step:
// the roster now, the calls joined and how far each has taken it, and the roster's history — the newest
// changes the meeting's change log keeps (HISTORY_CHANGES), each said in words, in sequence order.

export type MeetingLive = {
	meetingId: string;
	/** false: no such meeting (never made, or ended); the page keeps watching, a new one shows up. */
	exists: boolean;
	subject: string | null;
	joinMeetingId: string | null;
	rosterSequenceNumber: number;
	participants: Participant[];
	calls: { callId: string; rosterSequenceNumber: number }[];
	/** `since`: the events are the changes after this roster sequence number (0: from the start). */
	history: { since: number; events: RosterEvent[] };
};

export function readMeetingLive(
	threadId: string,
	settings: MeetingSettings | undefined,
	roster: RosterStore,
	rosterSeq: number,
	calls: { call_id: string; delivered_seq: number }[],
): MeetingLive {
	const meetingId = meetingIdOf(threadId);
	if (!settings)
		return {
			meetingId,
			exists: false,
			subject: null,
			joinMeetingId: null,
			rosterSequenceNumber: 0,
			participants: [],
			calls: [],
			history: { since: 0, events: [] },
		};
	const { baseSeq, base, changes } = roster.history();
	return {
		meetingId,
		exists: true,
		subject: settings.subject,
		joinMeetingId: settings.joinMeetingId,
		rosterSequenceNumber: rosterSeq,
		participants: roster.list(),
		calls: calls.map((call) => ({ callId: call.call_id, rosterSequenceNumber: call.delivered_seq })),
		history: { since: baseSeq, events: rosterEvents(base, changes) },
	};
}
