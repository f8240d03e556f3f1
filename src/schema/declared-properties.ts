import type { ApiVersion } from "./api-version";

// Which properties each Graph version declares, per type the stub serves or notifies (Microsoft Graph's
// published schema: msgraph-metadata's v1.0 CSDL and beta type maps; the SDKs' generated models agree).
// A type's declaration on a version is its `both` list plus that version's own additions. Every type here
// is open (or reached through one), so a property no version declares is dynamic and is never dropped.

export type TypeName = keyof typeof DECLARED;

type Declaration = {
	/** Declared on every version. */
	both: readonly string[];
	/** Declared only on the version named. */
	beta?: readonly string[];
	"v1.0"?: readonly string[];
	/** The type of a property's value (or of each item of an array) when the value names no `@odata.type`. */
	nested?: Readonly<Record<string, string>>;
};

const COMMS_OPERATION = ["clientContext", "resultInfo", "status"];

export const DECLARED = {
	call: {
		both: [
			"callbackUri",
			"callChainId",
			"callOptions",
			"callRoutes",
			"chatInfo",
			"direction",
			"incomingContext",
			"mediaConfig",
			"mediaState",
			"meetingInfo",
			"myParticipantId",
			"requestedModalities",
			"resultInfo",
			"source",
			"state",
			"subject",
			"targets",
			"tenantId",
			"toneInfo",
			"transcription",
		],
		beta: [
			"activeModalities",
			"answeredBy",
			"meetingCapability",
			"ringingTimeoutInSeconds",
			"routingPolicies",
			"terminationReason",
		],
		nested: { source: "participantInfo", answeredBy: "participantInfo", targets: "invitationParticipantInfo" },
	},
	participant: {
		both: [
			"info",
			"isInLobby",
			"isMuted",
			"mediaStreams",
			"metadata",
			"recordingInfo",
			"removedState",
			"restrictedExperience",
			"rosterSequenceNumber",
		],
		beta: ["isIdentityAnonymized", "preferredDisplayName", "syntheticMediaDetection"],
		nested: { info: "participantInfo" },
	},
	participantInfo: {
		both: ["countryCode", "endpointType", "identity", "languageId", "participantId", "region"],
		beta: ["nonAnonymizedIdentity", "platformId"],
	},
	invitationParticipantInfo: {
		both: ["hidden", "identity", "participantId", "removeFromDefaultAudioRoutingGroup", "replacesCallId"],
		beta: ["endpointType"],
	},
	commsOperation: { both: COMMS_OPERATION },
	playPromptOperation: { both: COMMS_OPERATION, beta: ["completionReason"] },
	recordOperation: {
		both: [...COMMS_OPERATION, "recordingAccessToken", "recordingLocation"],
		beta: ["completionReason"],
	},
	sendDtmfTonesOperation: { both: [...COMMS_OPERATION, "completionReason"] },
	inviteParticipantsOperation: {
		both: [...COMMS_OPERATION, "participants"],
		nested: { participants: "invitationParticipantInfo" },
	},
	/** The lookups a calling bot makes (src/meetings/online-meeting.ts): beta keeps the deprecated `joinUrl`. */
	onlineMeeting: {
		both: [
			"allowedPresenters",
			"chatInfo",
			"creationDateTime",
			"endDateTime",
			"isEntryExitAnnounced",
			"joinMeetingIdSettings",
			"joinWebUrl",
			"lobbyBypassSettings",
			"participants",
			"startDateTime",
			"subject",
			"videoTeleconferenceId",
		],
		beta: ["joinUrl"],
	},
	// v1.0 declares no own property (`id` only: its CSDL); beta's type map adds these two.
	contentSharingSession: { both: [], beta: ["presenterParticipantId", "pngOfCurrentSlide"] },
} satisfies Record<string, Declaration>;

const isTypeName = (name: string): name is TypeName => Object.hasOwn(DECLARED, name);

export const declaredType = (name: string | undefined): TypeName | undefined =>
	name !== undefined && isTypeName(name) ? name : undefined;

const TABLE: Record<TypeName, Declaration> = DECLARED;

/** The properties of `type` that another version declares and `version` does not: what its view drops. */
export function undeclaredOn(version: ApiVersion, type: TypeName): ReadonlySet<string> {
	const own = TABLE[type];
	const others = (["v1.0", "beta"] as const).filter((one) => one !== version).flatMap((one) => own[one] ?? []);
	return new Set(others.filter((name) => !own[version]?.includes(name) && !own.both.includes(name)));
}

/** The type of `property`'s value in a `type`, for a value that names none itself. */
export const nestedType = (type: TypeName | undefined, property: string): TypeName | undefined =>
	type === undefined ? undefined : declaredType(TABLE[type].nested?.[property]);

/** Every property some type's view on `version` drops: a document naming none of them needs no view. */
export const droppedAnywhereOn = (version: ApiVersion): readonly string[] => [
	...new Set((Object.keys(TABLE) as TypeName[]).flatMap((type) => [...undeclaredOn(version, type)])),
];
