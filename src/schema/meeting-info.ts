import * as v from "valibot";
import { IdentitySet } from "./call-parts";
import { graphTypeName } from "./odata-type-name";

// A meeting join's chatInfo and meetingInfo (POST /communications/calls, v1.0 and beta alike): the three
// meetingInfo kinds, each with the members its type declares Nullable=false required (research §1.1).

const Text = (max: number) =>
	v.pipe(v.string("must be a string"), v.maxLength(max, `must be at most ${max} characters`));

export const MEETING_INFO_KINDS = ["organizerMeetingInfo", "tokenMeetingInfo", "joinMeetingIdMeetingInfo"] as const;
export type MeetingInfoKind = (typeof MEETING_INFO_KINDS)[number];

const KIND_LIST = MEETING_INFO_KINDS.map((kind) => `#microsoft.graph.${kind}`).join(", ");

export const meetingInfoKind = (info: { "@odata.type": string }) =>
	graphTypeName(info["@odata.type"]) as MeetingInfoKind;

/** Each kind's required member (the others are optional). */
const REQUIRED: Record<MeetingInfoKind, "organizer" | "token" | "joinMeetingId"> = {
	organizerMeetingInfo: "organizer",
	tokenMeetingInfo: "token",
	joinMeetingIdMeetingInfo: "joinMeetingId",
};

export const MeetingInfo = v.pipe(
	v.looseObject(
		{
			"@odata.type": v.pipe(
				v.string(`is required: one of ${KIND_LIST}`),
				v.check(
					(input) => (MEETING_INFO_KINDS as readonly string[]).includes(graphTypeName(input) ?? ""),
					`must be one of ${KIND_LIST}`,
				),
			),
			organizer: v.optional(IdentitySet),
			allowConversationWithoutHost: v.optional(v.nullable(v.boolean("must be a boolean"))),
			token: v.optional(Text(4096)),
			joinMeetingId: v.optional(v.pipe(Text(64), v.regex(/^\d+$/, "must be the meeting's numeric join id"))),
			passcode: v.optional(v.nullable(Text(64))),
		},
		"must be a meetingInfo object",
	),
	v.rawCheck(({ dataset, addIssue }) => {
		if (!dataset.typed) return;
		const required = REQUIRED[meetingInfoKind(dataset.value)] as (typeof REQUIRED)[MeetingInfoKind] | undefined;
		if (required && dataset.value[required] === undefined)
			addIssue({
				message: `is required for ${dataset.value["@odata.type"]}`,
				path: [{ type: "object", origin: "value", input: dataset.value, key: required, value: undefined }],
			});
	}),
);
export type MeetingInfo = v.InferOutput<typeof MeetingInfo>;

export const ChatInfo = v.looseObject(
	{
		"@odata.type": v.optional(v.string("must be a string")),
		threadId: v.optional(v.nullable(Text(512))),
		messageId: v.optional(v.nullable(Text(128))),
		replyChainMessageId: v.optional(v.nullable(Text(128))),
	},
	"must be a chatInfo object",
);
