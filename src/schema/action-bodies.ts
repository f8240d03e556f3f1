import * as v from "valibot";
import type { ApiVersion } from "./api-version";
import { InvitationParticipantInfo, typeTag } from "./call-parts";
import { enumValue } from "./enum-value";
import { ClientContext } from "./scalars";
import { StopTone } from "./tone-names";

// The request bodies of the actions that create operations (playPrompt, recordResponse, …), per version.
// An action's parameters are a closed list: an unknown one is refused by name, as Graph refuses it
// ("… is not a valid parameter for the operation"); `@odata.*` annotations pass.

const TONES = [
	"tone0",
	"tone1",
	"tone2",
	"tone3",
	"tone4",
	"tone5",
	"tone6",
	"tone7",
	"tone8",
	"tone9",
	"star",
	"pound",
	"a",
	"b",
	"c",
	"d",
	"flash",
] as const;
export type Tone = (typeof TONES)[number];
const ToneValue = enumValue("tone", TONES);

const Uri = v.pipe(v.string("must be a string"), v.minLength(1, "must not be empty"), v.maxLength(2048));

const MediaInfo = v.looseObject(
	{ "@odata.type": typeTag("mediaInfo"), uri: Uri, resourceId: v.optional(v.nullable(v.string("must be a string"))) },
	"must be a mediaInfo object",
);

// A prompt is an open type (older traffic put `loop` inside it): unknown keys pass as sent.
const MediaPrompt = v.looseObject(
	{ "@odata.type": typeTag("mediaPrompt"), mediaInfo: MediaInfo },
	"must be a mediaPrompt object",
);

const Prompts = (max: number) =>
	v.pipe(
		v.array(MediaPrompt, "must be an array of mediaPrompt"),
		v.maxLength(max, `must have at most ${max} prompt${max === 1 ? "" : "s"}`),
	);

const Seconds = v.optional(
	v.nullable(
		v.pipe(
			v.number("must be a number of seconds"),
			v.integer("must be a whole number of seconds"),
			v.minValue(1, "must be 1 to 120 seconds"),
			v.maxValue(120, "must be 1 to 120 seconds"),
		),
	),
);

const Context = v.optional(ClientContext);
const Flag = v.optional(v.nullable(v.boolean("must be true or false")));

/** A boolean parameter only beta has: on v1.0 it is refused like any unknown parameter. */
const betaOnly = (version: ApiVersion, action: string) =>
	version === "beta"
		? Flag
		: v.optional(v.nullable(v.never(`is not a valid parameter for the operation '${action}' on v1.0`)));

/** Keys Graph's action takes: any other is refused by name (`@`-annotations excepted). */
function closed<E extends v.ObjectEntries>(entries: E, action: string) {
	return v.pipe(
		v.looseObject(entries, "must be a JSON object"),
		v.rawCheck(({ dataset, addIssue }) => {
			if (!dataset.typed) return;
			for (const key of Object.keys(dataset.value))
				if (!key.startsWith("@") && !Object.hasOwn(entries, key))
					addIssue({
						message: `is not a valid parameter for the operation '${action}'`,
						path: [{ type: "object", origin: "value", input: dataset.value, key, value: dataset.value[key] }],
					});
		}),
	);
}

const bodies = (version: ApiVersion) => ({
	playPrompt: closed(
		{
			prompts: v.pipe(Prompts(20), v.minLength(1, "must have at least 1 prompt")),
			clientContext: Context,
			loop: betaOnly(version, "playPrompt"),
		},
		"playPrompt",
	),
	recordResponse: closed(
		{
			prompts: v.optional(v.nullable(Prompts(1))),
			bargeInAllowed: Flag,
			initialSilenceTimeoutInSeconds: Seconds,
			maxSilenceTimeoutInSeconds: Seconds,
			maxRecordDurationInSeconds: Seconds,
			playBeep: Flag,
			stopTones: v.optional(
				v.nullable(v.pipe(v.array(StopTone, "must be an array of keys"), v.maxLength(16, "must have at most 16 keys"))),
			),
			clientContext: Context,
			streamWhileRecording: betaOnly(version, "recordResponse"),
		},
		"recordResponse",
	),
	cancelMediaProcessing: closed({ clientContext: Context }, "cancelMediaProcessing"),
	subscribeToTone: closed({ clientContext: Context }, "subscribeToTone"),
	sendDtmfTones: closed(
		{
			tones: v.pipe(
				v.array(ToneValue, "must be an array of tone values"),
				v.minLength(1, "must have at least 1 tone"),
				v.maxLength(64, "must have at most 64 tones"),
			),
			delayBetweenTonesMs: v.optional(
				v.nullable(
					v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(0), v.maxValue(10_000)),
				),
			),
			clientContext: Context,
		},
		"sendDtmfTones",
	),
	updateRecordingStatus: closed(
		{
			status: enumValue("recordingStatus", ["unknown", "notRecording", "recording", "failed"]),
			clientContext: Context,
		},
		"updateRecordingStatus",
	),
	mute: closed({ clientContext: Context }, "mute"),
	unmute: closed({ clientContext: Context }, "unmute"),
	changeScreenSharingRole: closed(
		{ role: enumValue("screenSharingRole", ["viewer", "sharer"]) },
		"changeScreenSharingRole",
	),
	addLargeGalleryView: closed({ clientContext: Context }, "addLargeGalleryView"),
	invite: closed(
		{
			participants: v.pipe(
				v.array(InvitationParticipantInfo, "must be an array of invitationParticipantInfo"),
				v.minLength(1, "must have at least 1 participant"),
				v.maxLength(5, "must have at most 5 participants"),
			),
			clientContext: Context,
		},
		"invite",
	),
	participantMute: closed({ clientContext: Context }, "mute"),
	startHoldMusic: closed(
		{ customPrompt: v.optional(v.nullable(MediaPrompt)), clientContext: Context },
		"startHoldMusic",
	),
	stopHoldMusic: closed({ clientContext: Context }, "stopHoldMusic"),
	startRecording: closed({ clientContext: Context }, "startRecording"),
	stopRecording: closed({ clientContext: Context }, "stopRecording"),
	startTranscription: closed(
		{ clientContext: Context, language: v.optional(v.nullable(v.string("must be a string"))) },
		"startTranscription",
	),
	stopTranscription: closed({ clientContext: Context }, "stopTranscription"),
	admitFromLobby: closed({ clientContext: Context }, "admitFromLobby"),
	// Its body's fields were not read (the SDK has a body type): clientContext, as its siblings (*inferred*).
	removeFromLobby: closed({ clientContext: Context }, "removeFromLobby"),
	admitAllFromLobby: closed({ clientContext: Context }, "admitAllFromLobby"),
	muteAll: closed(
		{
			participants: v.optional(
				v.nullable(
					v.pipe(
						v.array(
							v.pipe(v.string("must be a participant id"), v.minLength(1, "must not be empty")),
							"must be an array of participant ids",
						),
						v.maxLength(250, "must have at most 250 participants"),
					),
				),
			),
			clientContext: Context,
		},
		"muteAll",
	),
});

export type ActionBodies = ReturnType<typeof bodies>;
export type ActionBodyName = keyof ActionBodies;

const byVersion = { "v1.0": bodies("v1.0"), beta: bodies("beta") };

/** The schema of one action's body on one version (built once per version). */
export const actionBodySchema = <N extends ActionBodyName>(version: ApiVersion, name: N): ActionBodies[N] =>
	byVersion[version][name];
