// The one place a meeting participant's shape is made (Graph's participant, research: v1.0 CSDL and
// the docs' roster examples). Stored and sent as made here; a per-version view can be applied on the
// way out. beta-only properties (isIdentityAnonymized, preferredDisplayName) are not made.

export const MEDIA_TYPES = ["audio", "video", "videoBasedScreenSharing", "data"] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const DIRECTIONS = ["inactive", "sendOnly", "receiveOnly", "sendReceive"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export type MediaStream = {
	"@odata.type": "#microsoft.graph.mediaStream";
	mediaType: MediaType;
	label: string;
	sourceId: string;
	direction: Direction;
	serverMuted: boolean;
};

export type Participant = {
	"@odata.type": "#microsoft.graph.participant";
	id: string;
	info: Record<string, unknown>;
	mediaStreams: MediaStream[];
	isMuted: boolean;
	isInLobby: boolean;
	metadata: string | null;
	recordingInfo: Record<string, unknown> | null;
	removedState: { "@odata.type": "#microsoft.graph.removedState"; reason: string } | null;
	restrictedExperience: Record<string, unknown> | null;
	rosterSequenceNumber: number;
};

/** A stream as a tester or a join describes it; the meeting fills the rest. */
export type StreamSpec = {
	mediaType: MediaType;
	direction?: Direction | undefined;
	sourceId?: string | undefined;
	label?: string | undefined;
	serverMuted?: boolean | undefined;
};

// The labels real captures carry (research: `main-audio`, `main-video`, `applicationsharing-video`);
// `data`'s is *inferred*.
const LABELS: Record<MediaType, string> = {
	audio: "main-audio",
	video: "main-video",
	videoBasedScreenSharing: "applicationsharing-video",
	data: "data",
};

/** Graph's examples type an identitySet and each identity in it. */
export function typedIdentitySet(set: Record<string, unknown>): Record<string, unknown> {
	const typed: Record<string, unknown> = { "@odata.type": "#microsoft.graph.identitySet" };
	for (const [kind, identity] of Object.entries(set)) {
		if (kind === "@odata.type") continue;
		typed[kind] =
			identity && typeof identity === "object" && !Array.isArray(identity)
				? { "@odata.type": "#microsoft.graph.identity", ...identity }
				: identity;
	}
	return typed;
}

export const mediaStream = (spec: StreamSpec, sourceId: string): MediaStream => ({
	"@odata.type": "#microsoft.graph.mediaStream",
	mediaType: spec.mediaType,
	label: spec.label ?? LABELS[spec.mediaType],
	sourceId: spec.sourceId ?? sourceId,
	direction: spec.direction ?? "sendReceive",
	serverMuted: spec.serverMuted ?? false,
});

export type ParticipantSpec = {
	id: string;
	identity: Record<string, unknown>;
	streams: MediaStream[];
	isMuted?: boolean | undefined;
	isInLobby?: boolean | undefined;
	metadata?: string | null | undefined;
	/** The rest of a participantInfo the join sent (a bot's source: endpointType, region …). */
	info?: Record<string, unknown> | undefined;
};

export function meetingParticipant(spec: ParticipantSpec, rosterSequenceNumber: number): Participant {
	const { identity: _i, "@odata.type": _t, ...info } = spec.info ?? {};
	return {
		"@odata.type": "#microsoft.graph.participant",
		id: spec.id,
		info: {
			"@odata.type": "#microsoft.graph.participantInfo",
			identity: typedIdentitySet(spec.identity),
			endpointType: "default",
			languageId: "en-US",
			region: "amer",
			countryCode: null,
			...info,
			participantId: spec.id,
		},
		mediaStreams: spec.streams,
		isMuted: spec.isMuted ?? false,
		isInLobby: spec.isInLobby ?? false,
		metadata: spec.metadata ?? null,
		recordingInfo: null,
		removedState: null,
		restrictedExperience: null,
		rosterSequenceNumber,
	};
}

/** A participant as it appears once more in a delta after leaving (*inferred*: no documented example). */
export const departed = (participant: Participant, rosterSequenceNumber: number): Participant => ({
	...participant,
	removedState: { "@odata.type": "#microsoft.graph.removedState", reason: "left" },
	rosterSequenceNumber,
});

/** What a far-side action does to a participant (*inferred* representation, see docs/contract.md). */
export const PERSON_ACTIONS = [
	"mute",
	"unmute",
	"startVideo",
	"stopVideo",
	"startSharing",
	"stopSharing",
	"admit",
] as const;
export type PersonAction = (typeof PERSON_ACTIONS)[number];

/**
 * The participant after `action`; `newSourceId` gives a stream it did not have its sourceId. Undefined
 * when the action changes nothing (already muted, not sharing …).
 */
export function applyPersonAction(
	participant: Participant,
	action: PersonAction,
	newSourceId: () => string,
): Participant | undefined {
	const streams = participant.mediaStreams;
	const withStream = (mediaType: MediaType, direction: Direction) => {
		const found = streams.find((stream) => stream.mediaType === mediaType);
		if (found?.direction === direction) return undefined;
		const next = found
			? streams.map((stream) => (stream === found ? { ...stream, direction } : stream))
			: [...streams, mediaStream({ mediaType, direction }, newSourceId())];
		return { ...participant, mediaStreams: next };
	};
	switch (action) {
		case "admit":
			return participant.isInLobby ? { ...participant, isInLobby: false } : undefined;
		case "mute":
			return participant.isMuted ? undefined : { ...participant, isMuted: true };
		// Unmuting themselves also lifts a server mute (a bot's muteAll): *inferred*, as Teams lets people do.
		case "unmute":
			return participant.isMuted
				? {
						...participant,
						isMuted: false,
						mediaStreams: streams.map((stream) => (stream.serverMuted ? { ...stream, serverMuted: false } : stream)),
					}
				: undefined;
		case "startVideo":
			return withStream("video", "sendReceive");
		case "stopVideo":
			return streams.some((stream) => stream.mediaType === "video") ? withStream("video", "receiveOnly") : undefined;
		// A sharer sends its screen (changeScreenSharingRole's roster example: sendOnly); a viewer receives it.
		case "startSharing":
			return withStream("videoBasedScreenSharing", "sendOnly");
		case "stopSharing":
			return streams.some((stream) => stream.mediaType === "videoBasedScreenSharing")
				? withStream("videoBasedScreenSharing", "receiveOnly")
				: undefined;
	}
}
