import * as v from "valibot";
import type { ApiVersion } from "./api-version";
import { enumValue } from "./enum-value";
import { objectMessage } from "./object-message";

// The types deriving from commsOperation (Microsoft Graph's published v1.0 and beta schemas), with the properties each adds.
// Every one is an open type; properties a type does not declare are dynamic and kept as sent.

const NullableString = v.nullable(v.string("must be a string or null"));

const DtmfCompletionReason = enumValue("sendDtmfCompletionReason", [
	"unknown",
	"completedSuccessfully",
	"mediaOperationCanceled",
]);
const PlayPromptCompletionReason = enumValue("playPromptCompletionReason", [
	"unknown",
	"completedSuccessfully",
	"mediaOperationCanceled",
]);
/** beta's recordCompletionReason (no unknownFutureValue): also what the `calling` configuration may set. */
export const RECORD_COMPLETION_REASONS = [
	"operationCanceled",
	"stopToneDetected",
	"maxRecordDurationReached",
	"initialSilenceTimeout",
	"maxSilenceTimeout",
	"playPromptFailed",
	"playBeepFailed",
	"mediaReceiveTimeout",
	"unspecifiedError",
] as const;
const RecordCompletionReason = enumValue("recordCompletionReason", RECORD_COMPLETION_REASONS);
const InvitationParticipants = v.array(
	v.looseObject({}, objectMessage("invitationParticipantInfo")),
	"must be an array of invitationParticipantInfo objects",
);

type DerivedType = { betaOnly?: true; both?: v.ObjectEntries; beta?: v.ObjectEntries };

const DERIVED_TYPES: Record<string, DerivedType> = {
	addLargeGalleryViewOperation: {},
	cancelMediaProcessingOperation: {},
	inviteParticipantsOperation: { both: { participants: v.optional(InvitationParticipants) } },
	muteParticipantOperation: {},
	playPromptOperation: { beta: { completionReason: v.optional(v.nullable(PlayPromptCompletionReason)) } },
	recordOperation: {
		both: { recordingAccessToken: v.optional(NullableString), recordingLocation: v.optional(NullableString) },
		beta: { completionReason: v.optional(v.nullable(RecordCompletionReason)) },
	},
	sendDtmfTonesOperation: { both: { completionReason: v.optional(v.nullable(DtmfCompletionReason)) } },
	startHoldMusicOperation: {},
	stopHoldMusicOperation: {},
	subscribeToToneOperation: {},
	unmuteParticipantOperation: {},
	updateRecordingStatusOperation: {},
	admitAllFromLobbyOperation: { betaOnly: true },
	admitFromLobbyOperation: { betaOnly: true },
	removeFromLobbyOperation: { betaOnly: true },
	muteParticipantsOperation: {
		betaOnly: true,
		both: { participants: v.optional(v.array(v.string("must be a string"), "must be an array of strings")) },
	},
	startRecordingOperation: { betaOnly: true },
	stopRecordingOperation: { betaOnly: true },
	startTranscriptionOperation: { betaOnly: true },
	stopTranscriptionOperation: { betaOnly: true },
};

/**
 * The properties `typeName` declares beyond commsOperation's, or undefined if the version has no such
 * type. A property either version declares is checked on both: one stored operation is read through
 * both versions, so a v1.0 write must not store what beta's schema forbids (and beta reads back).
 */
export function derivedEntries(version: ApiVersion, typeName: string): v.ObjectEntries | undefined {
	if (typeName === "commsOperation") return {};
	if (!Object.hasOwn(DERIVED_TYPES, typeName)) return undefined;
	const type = DERIVED_TYPES[typeName];
	if (!type || (type.betaOnly && version !== "beta")) return undefined;
	return declaredEntries(typeName);
}

/**
 * Every property a version declares on `typeName`, whichever version that is: what a write of a stored
 * operation is checked against, through either version (a v1.0 PATCH of a beta-only type included).
 */
export function declaredEntries(typeName: string): v.ObjectEntries {
	const type = Object.hasOwn(DERIVED_TYPES, typeName) ? DERIVED_TYPES[typeName] : undefined;
	return { ...type?.both, ...type?.beta };
}

/**
 * Why `value` is not a `completionReason` the operation type allows (by whichever version declares it),
 * or undefined: for the progression scripts, which set it outside any request body.
 */
export function completionReasonRefusal(typeName: string, value: unknown): string | undefined {
	const declared = derivedEntries("beta", typeName)?.completionReason;
	if (!declared) return undefined; // an open property of this type: anything goes
	const result = v.safeParse(declared, value);
	return result.success ? undefined : result.issues[0].message;
}
