import { callObject } from "../../calls/call-object";
import { listedMeeting } from "../../meetings/listed-meeting";
import {
	type chatInfoOf,
	meetingIdForJoinId,
	meetingIdOf,
	meetingObject,
	meetingObjectName,
	threadOf,
	threadOfToken,
} from "../../meetings/meeting-identity";
import { type MediaType, type StreamSpec, typedIdentitySet } from "../../meetings/participant-shape";
import type { MeetingJoin } from "../../objects/call/call-rpc";
import type { CallJoin, JoinCredentials } from "../../objects/meeting/meeting-calls";
import { MEETING_ENDED, UNKNOWN_MEETING } from "../../objects/meeting/meeting-outcome";
import { type MeetingSettings, newMeetingSettings } from "../../objects/meeting/meeting-store";
import type { NewCallBody } from "../../schema/call";
import { meetingInfoKind } from "../../schema/meeting-info";

// POST /communications/calls with a meetingInfo: which meeting object it names, and the join itself.
// An organizer's join names its meeting by the chat thread and makes it when none exists (*inferred*:
// a bot test needs no set-up); a joinMeetingId or a token must name a meeting that exists.

type MeetingJoined = {
	/** What the call is created with: its link to the meeting, or the join's refusal. */
	join: MeetingJoin;
	/** The chatInfo the service fills in (the docs' joinMeetingId examples answer with one). */
	chatInfo: ReturnType<typeof chatInfoOf> | undefined;
	/** Tells the meeting the call exists, once it does: it then gets the roster. */
	ready: () => Promise<unknown>;
};

/** A bot sends and receives what it asked for, one stream per modality; it watches screen sharing (*inferred*). */
const botStreams = (modalities: string[] | undefined): StreamSpec[] =>
	[...new Set(modalities?.length ? modalities : ["audio"])]
		.filter((modality): modality is MediaType => modality !== "unknown")
		.map((mediaType) => ({
			mediaType,
			direction: mediaType === "videoBasedScreenSharing" ? "receiveOnly" : "sendReceive",
		}));

async function whichMeeting(body: NewCallBody): Promise<{ threadId?: string; credentials: JoinCredentials }> {
	const info = body.meetingInfo as NonNullable<NewCallBody["meetingInfo"]>;
	switch (meetingInfoKind(info)) {
		case "organizerMeetingInfo":
			return { threadId: String(body.chatInfo?.threadId), credentials: { kind: "organizer" } };
		case "joinMeetingIdMeetingInfo": {
			const joinMeetingId = String(info.joinMeetingId);
			const threadId = threadOf(await meetingIdForJoinId(joinMeetingId));
			return { threadId, credentials: { kind: "joinMeetingId", joinMeetingId, passcode: info.passcode ?? null } };
		}
		case "tokenMeetingInfo":
			return { threadId: threadOfToken(String(info.token)), credentials: { kind: "token" } };
	}
}

/** The meeting an organizer's join makes when its thread names none yet (*inferred*). */
function madeByJoin(body: NewCallBody, threadId: string): MeetingSettings {
	const organizer = body.meetingInfo?.organizer as Record<string, unknown> | undefined;
	const user = organizer?.user as { tenantId?: unknown } | undefined;
	return newMeetingSettings({
		id: meetingIdOf(threadId),
		threadId,
		createdBy: "join",
		subject: body.subject ?? null,
		organizer: organizer ? typedIdentitySet(organizer) : null,
		tenantId: body.tenantId ?? (typeof user?.tenantId === "string" ? user.tenantId : null),
	});
}

export async function joinMeeting(
	env: Env,
	namespace: string,
	body: NewCallBody,
	callId: string,
	bot: { id: string; source: Record<string, unknown> },
): Promise<MeetingJoined> {
	const { threadId, credentials } = await whichMeeting(body);
	const none = async () => undefined;
	if (threadId === undefined) return { join: { refused: UNKNOWN_MEETING }, chatInfo: undefined, ready: none };
	// A join by joinMeetingId or token names a meeting that must have been made; an organizer's join may make it.
	const meeting =
		credentials.kind === "organizer"
			? meetingObject(env, namespace, threadId)
			: await listedMeeting(env, namespace, threadId);
	if (!meeting) return { join: { refused: UNKNOWN_MEETING }, chatInfo: undefined, ready: none };
	const request: CallJoin = {
		callId,
		bot: {
			id: bot.id,
			info: bot.source,
			identity: (bot.source.identity ?? {}) as Record<string, unknown>,
			streams: botStreams(body.requestedModalities),
		},
		credentials,
		...(credentials.kind === "organizer" ? { create: madeByJoin(body, threadId) } : {}),
	};
	const joined = await meeting.joinCall(request);
	if (!joined.ok) return { join: { refused: joined.resultInfo }, chatInfo: undefined, ready: none };
	const options = body.callOptions as { isDeltaRosterEnabled?: unknown } | null | undefined;
	return {
		join: {
			name: meetingObjectName(namespace, threadId),
			delta: options?.isDeltaRosterEnabled === true,
			inLobby: joined.inLobby,
		},
		chatInfo: joined.chatInfo,
		ready: async () => {
			// A meeting deleted (or one that dropped the call) since the join ended its calls before this one
			// existed: the call ends as they did.
			if (!(await meeting.callReady(callId)))
				await callObject(env, namespace, callId).callAction({ kind: "farHangUp", resultInfo: MEETING_ENDED });
		},
	};
}
