import * as v from "valibot";
import { DIRECTIONS, MEDIA_TYPES } from "../meetings/participant-shape";
import { IdentitySet } from "./call-parts";
import { Key } from "./scalars";
import { parsedOrInvalid } from "./validation-error";

// The bodies of the meeting controls (/_stub/meetings…, stub extensions): strict objects, so a typo is
// refused, and every failing field named in one 400.

const Text = (max: number) =>
	v.pipe(v.string("must be a string"), v.maxLength(max, `must be at most ${max} characters`));
const Whole = (min: number, max: number) =>
	v.pipe(
		v.number("must be a number"),
		v.integer("must be a whole number"),
		v.minValue(min, `must be ${min} to ${max}`),
		v.maxValue(max, `must be ${min} to ${max}`),
	);

export const MediaStreamBody = v.strictObject(
	{
		mediaType: v.picklist(MEDIA_TYPES, `must be one of ${MEDIA_TYPES.join(", ")}`),
		direction: v.optional(v.picklist(DIRECTIONS, `must be one of ${DIRECTIONS.join(", ")}`)),
		sourceId: v.optional(v.pipe(Text(16), v.regex(/^\d+$/, "must be digits (Graph's sourceIds are numbers as text)"))),
		label: v.optional(Text(64)),
		serverMuted: v.optional(v.boolean("must be a boolean")),
	},
	"must be a mediaStream object",
);

/** Someone in (or joining) the meeting: who, the streams they send, and a key to name them by. */
export const PersonBody = v.strictObject(
	{
		key: v.optional(Key),
		identity: IdentitySet,
		streams: v.optional(
			v.pipe(
				v.array(MediaStreamBody, "must be an array of mediaStream objects"),
				v.maxLength(8, "must have at most 8 streams"),
			),
		),
		isMuted: v.optional(v.boolean("must be a boolean")),
		metadata: v.optional(v.nullable(Text(4096))),
	},
	"must be a person object",
);
export type PersonBody = v.InferOutput<typeof PersonBody>;

/** lobbyBypassScope (v1.0, declaration order). */
const BYPASS = [
	"organizer",
	"organization",
	"organizationAndFederated",
	"everyone",
	"invited",
	"organizationExcludingGuests",
] as const;

export const MAX_MEETING_PARTICIPANTS = 250;
export const MAX_MEETING_CALLS = 20;

export const NewMeetingBody = v.strictObject(
	{
		joinMeetingId: v.optional(v.pipe(Text(20), v.regex(/^\d+$/, "must be digits"))),
		passcode: v.optional(v.nullable(Text(64))),
		subject: v.optional(v.nullable(Text(1024))),
		organizer: v.optional(IdentitySet),
		tenantId: v.optional(v.nullable(Text(128))),
		lobby: v.optional(
			v.strictObject(
				{
					enabled: v.boolean("must be a boolean"),
					bypass: v.optional(v.picklist(BYPASS, `must be one of ${BYPASS.join(", ")}`)),
					timeoutMs: v.optional(Whole(0, 3_600_000)),
				},
				"must be a lobby object",
			),
		),
		participants: v.optional(
			v.pipe(
				v.array(PersonBody, "must be an array of person objects"),
				v.maxLength(MAX_MEETING_PARTICIPANTS, `must have at most ${MAX_MEETING_PARTICIPANTS} people`),
			),
		),
		maxParticipants: v.optional(Whole(1, MAX_MEETING_PARTICIPANTS)),
		maxCalls: v.optional(Whole(1, MAX_MEETING_CALLS)),
	},
	"must be a meeting object",
);
export type NewMeetingBody = v.InferOutput<typeof NewMeetingBody>;

export const parseNewMeeting = (body: unknown) => parsedOrInvalid(NewMeetingBody, body, "request body");
export const parsePerson = (body: unknown) => parsedOrInvalid(PersonBody, body, "request body");
