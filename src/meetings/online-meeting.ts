import type { MeetingView } from "../objects/meeting/meeting-view";

// A stub meeting as Graph's onlineMeeting (the "Get onlineMeeting" examples): what a calling bot reads
// to join (chatInfo, joinWebUrl, joinMeetingIdSettings, the organizer), in Graph's order. Beta's `joinUrl`
// is dropped on v1.0 by the per-version view (src/schema/declared-properties.ts).

/** A meeting lasts an hour from when it was made, as Graph schedules one created without times (*inferred*). */
const HOUR_MS = 3_600_000;

type Organizer = { user?: { id?: unknown; userPrincipalName?: unknown } } & Record<string, unknown>;

const text = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * The onlineMeeting id: as the docs' example shows it, base64 of `1*{organizer id}*0**{chat thread id}`,
 * so that an id leads back to its meeting without an index.
 */
const onlineMeetingId = (threadId: string, organizerId: string | null) =>
	btoa(String.fromCharCode(...new TextEncoder().encode(`1*${organizerId ?? ""}*0**${threadId}`)));

/**
 * The chat thread an onlineMeeting id names: the base64 form above, or the older `{organizer id}_{thread}`
 * the docs' list examples show. Undefined for anything else.
 */
export function threadOfOnlineMeetingId(id: string): string | undefined {
	const older = /^[^_]*_(19:.+@thread\.(?:v2|skype|tacv2))$/.exec(id)?.[1];
	if (older) return older;
	try {
		const decoded = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
			Uint8Array.from(atob(id), (char) => char.charCodeAt(0)),
		);
		return /^1\*[^*]*\*0\*\*(.+)$/.exec(decoded)?.[1];
	} catch {
		return undefined;
	}
}

/**
 * The chat thread a meetup-join URL names: its path segment after `/l/meetup-join/`, percent-decoded.
 * The URL may come encoded once more (the docs ask for it inside `$filter`): decoded until it reads as one.
 */
export function threadOfJoinWebUrl(url: string): string | undefined {
	let text = url;
	for (let i = 0; i < 4; i++) {
		const segment = /\/l\/meetup-join\/([^/?#]+)/i.exec(text)?.[1];
		const thread = segment === undefined ? undefined : decoded(segment);
		if (thread?.startsWith("19:")) return thread;
		const next = decoded(text);
		if (next === undefined || next === text) return undefined;
		text = next;
	}
	return undefined;
}

const decoded = (text: string) => {
	try {
		return decodeURIComponent(text);
	} catch {
		return undefined;
	}
};

export function onlineMeeting(meeting: MeetingView) {
	const organizer = meeting.organizer as Organizer | null;
	const organizerId = text(organizer?.user?.id);
	const created = Date.parse(meeting.createdDateTime);
	return {
		"@odata.type": "#microsoft.graph.onlineMeeting",
		id: onlineMeetingId(meeting.chatInfo.threadId, organizerId),
		creationDateTime: meeting.createdDateTime,
		startDateTime: meeting.createdDateTime,
		endDateTime: new Date(created + HOUR_MS).toISOString(),
		joinWebUrl: meeting.joinWebUrl,
		joinUrl: meeting.joinWebUrl,
		subject: meeting.subject,
		isEntryExitAnnounced: true,
		allowedPresenters: "everyone",
		videoTeleconferenceId: null,
		participants: {
			"@odata.type": "#microsoft.graph.meetingParticipants",
			organizer: organizer && {
				"@odata.type": "#microsoft.graph.meetingParticipantInfo",
				upn: text(organizer.user?.userPrincipalName),
				role: "presenter",
				identity: organizer,
			},
			attendees: [],
		},
		lobbyBypassSettings: {
			"@odata.type": "#microsoft.graph.lobbyBypassSettings",
			scope: meeting.lobby.enabled ? meeting.lobby.bypass : "everyone",
			isDialInBypassEnabled: false,
		},
		joinMeetingIdSettings: meeting.joinMeetingId && {
			"@odata.type": "#microsoft.graph.joinMeetingIdSettings",
			isPasscodeRequired: meeting.passcode !== null,
			joinMeetingId: meeting.joinMeetingId,
			passcode: meeting.passcode,
		},
		chatInfo: meeting.chatInfo,
	};
}
export type OnlineMeeting = ReturnType<typeof onlineMeeting>;
