import * as v from "valibot";
import type { ErrorDetail } from "../http/graph-error";
import { DIRECTIONS, MEDIA_TYPES, PERSON_ACTIONS } from "../meetings/participant-shape";
import { IdentitySet } from "./call-parts";
import { Key } from "./scalars";
import { fieldIssue, invalid, parsedOrInvalid } from "./validation-error";

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
export const MAX_SCRIPT_STEPS = 1000;
const DAY_MS = 86_400_000;

/** A script step: at `atMs` after the meeting began, someone joins, or the person of `key` acts. */
const ScriptStep = v.variant(
	"action",
	[
		v.strictObject({ atMs: Whole(0, DAY_MS), action: v.literal("join"), person: PersonBody }, "must be a step object"),
		v.strictObject(
			{
				atMs: Whole(0, DAY_MS),
				action: v.picklist(["leave", ...PERSON_ACTIONS]),
				key: Key,
			},
			"must be a step object",
		),
	],
	`must be a step whose action is join, leave, ${PERSON_ACTIONS.join(", ")}`,
);
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
		/** When the script's `atMs` count from: the meeting's creation (default) or the first bot's call joining. */
		scriptStartsWhen: v.optional(v.picklist(["created", "botJoins"], "must be created or botJoins")),
		script: v.optional(
			v.pipe(
				v.array(ScriptStep, "must be an array of steps"),
				v.maxLength(MAX_SCRIPT_STEPS, `must have at most ${MAX_SCRIPT_STEPS} steps`),
			),
		),
	},
	"must be a meeting object",
);
export type NewMeetingBody = v.InferOutput<typeof NewMeetingBody>;

/**
 * A new meeting, and its script checked against itself: each step names a person the meeting has by
 * then (in time order), and a join's key is not in use by then. Every failing field in one 400.
 */
export function parseNewMeeting(body: unknown): NewMeetingBody {
	const meeting = parsedOrInvalid(NewMeetingBody, body, "request body");
	const present = new Set(
		(meeting.participants ?? []).flatMap((person) => (person.key === undefined ? [] : [person.key])),
	);
	const issues: ErrorDetail[] = [];
	const inTimeOrder = (meeting.script ?? [])
		.map((step, index) => ({ step, index }))
		.sort((a, b) => a.step.atMs - b.step.atMs);
	for (const { step, index } of inTimeOrder) {
		if (step.action === "join") {
			const key = step.person.key;
			if (key === undefined) continue;
			if (present.has(key))
				issues.push(fieldIssue(`script[${index}].person.key`, `'${key}' is in the meeting by then`));
			present.add(key);
		} else if (!present.has(step.key))
			issues.push(fieldIssue(`script[${index}].key`, `no one has the key '${step.key}' by then`));
		else if (step.action === "leave") present.delete(step.key);
	}
	if (issues.length) throw invalid("request body", issues);
	return meeting;
}
export const parsePerson = (body: unknown) => parsedOrInvalid(PersonBody, body, "request body");
