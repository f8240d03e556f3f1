import * as v from "valibot";
import type { ApiVersion } from "./api-version";
import { enumValue } from "./enum-value";
import { graphTypeName, unresolvedTypeMessage } from "./odata-type-name";

// The complex types a call's request bodies share. Graph's types are open here (participantInfo and
// the identities carry undeclared properties in real traffic), so unknown keys pass through as sent.

const Text = v.pipe(v.string("must be a string"), v.maxLength(1024, "must be at most 1024 characters"));
const OptionalText = v.optional(v.nullable(Text));

/** `@odata.type`, when given, must name `typeName`. */
export const typeTag = (typeName: string) =>
	v.optional(
		v.pipe(
			v.string("must be a string"),
			v.check(
				(input) => graphTypeName(input) === typeName,
				(issue) => unresolvedTypeMessage(String(issue.input)),
			),
		),
	);

const Identity = v.looseObject({ id: OptionalText, displayName: OptionalText }, "must be an identity object");

/** identitySet: at least one of its identities. */
export const IdentitySet = v.pipe(
	v.looseObject(
		{
			"@odata.type": typeTag("identitySet"),
			application: v.optional(Identity),
			applicationInstance: v.optional(Identity),
			user: v.optional(Identity),
			guest: v.optional(Identity),
			phone: v.optional(Identity),
		},
		"must be an identitySet object",
	),
	v.check(
		(set) => ["application", "applicationInstance", "user", "guest", "phone"].some((key) => key in set),
		"must name an application, applicationInstance, user, guest or phone",
	),
);

export const ParticipantInfo = v.looseObject(
	{ "@odata.type": typeTag("participantInfo"), identity: IdentitySet },
	"must be a participantInfo object",
);

export const InvitationParticipantInfo = v.looseObject(
	{ "@odata.type": typeTag("invitationParticipantInfo"), identity: IdentitySet },
	"must be an invitationParticipantInfo object",
);

export const Targets = (min: number, max: number) =>
	v.pipe(
		v.array(InvitationParticipantInfo, "must be an array of invitationParticipantInfo"),
		v.minLength(min, `must have at least ${min} target${min === 1 ? "" : "s"}`),
		v.maxLength(max, `must have at most ${max} targets`),
	);

const MEDIA_CONFIG_TYPES = ["serviceHostedMediaConfig", "appHostedMediaConfig"];

/** mediaConfig is abstract: `@odata.type` picks service- or app-hosted media. */
export const MediaConfig = v.looseObject(
	{
		"@odata.type": v.pipe(
			v.string("is required: #microsoft.graph.serviceHostedMediaConfig or #microsoft.graph.appHostedMediaConfig"),
			v.check(
				(input) => MEDIA_CONFIG_TYPES.includes(graphTypeName(input) ?? ""),
				"must be #microsoft.graph.serviceHostedMediaConfig or #microsoft.graph.appHostedMediaConfig",
			),
		),
		blob: v.optional(v.nullable(v.string("must be a string"))),
	},
	"must be a mediaConfig object",
);
export type MediaConfig = v.InferOutput<typeof MediaConfig>;

export const isAppHosted = (mediaConfig: MediaConfig) =>
	graphTypeName(mediaConfig["@odata.type"]) === "appHostedMediaConfig";

const V1_MODALITIES = ["audio", "video", "videoBasedScreenSharing", "data"] as const;
const BETA_MODALITIES = [...V1_MODALITIES, "unknown"] as const;

/** The modality enum of a version: beta adds `unknown`. */
export const Modalities = (version: ApiVersion) =>
	v.pipe(
		v.array(
			version === "beta" ? enumValue("modality", BETA_MODALITIES) : enumValue("modality", V1_MODALITIES),
			"must be an array of modality values",
		),
		v.maxLength(8, "must have at most 8 modalities"),
	);

export const OpenObject = (typeName: string) => v.looseObject({}, `must be a ${typeName} object`);
