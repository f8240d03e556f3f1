import { chatInfoOf, joinWebUrlOf, meetingToken } from "../../meetings/meeting-identity";
import type { Participant } from "../../meetings/participant-shape";
import type { MeetingSettings } from "./meeting-store";

/** GET /_stub/meetings/{id}: what a tester reads about a meeting (a stub extension's own shape). */
export function meetingView(
	settings: MeetingSettings,
	roster: Participant[],
	rosterSequenceNumber: number,
	calls: { call_id: string; delivered_seq: number }[],
) {
	const user = settings.organizer?.user as { id?: unknown } | undefined;
	const organizerId = typeof user?.id === "string" ? user.id : null;
	return {
		id: settings.id,
		joinMeetingId: settings.joinMeetingId,
		passcode: settings.passcode,
		subject: settings.subject,
		organizer: settings.organizer,
		tenantId: settings.tenantId,
		chatInfo: chatInfoOf(settings.threadId),
		joinWebUrl: joinWebUrlOf(settings.threadId, settings.tenantId, organizerId),
		tokenMeetingInfo: { "@odata.type": "#microsoft.graph.tokenMeetingInfo", token: meetingToken(settings.threadId) },
		lobby: settings.lobby,
		maxParticipants: settings.maxParticipants,
		maxCalls: settings.maxCalls,
		createdBy: settings.createdBy,
		createdDateTime: settings.createdDateTime,
		rosterSequenceNumber,
		participants: roster,
		calls: calls.map((call) => ({ callId: call.call_id, rosterSequenceNumber: call.delivered_seq })),
	};
}
export type MeetingView = ReturnType<typeof meetingView>;
