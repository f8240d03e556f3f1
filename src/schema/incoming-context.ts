import * as v from "valibot";
import { IdentitySet, typeTag } from "./call-parts";
import { graphTypeName } from "./odata-type-name";
import { Key } from "./scalars";

// What an incoming call's notification carries about where it came from (Graph's call resource:
// incomingContext, meetingInfo, chatInfo, callChainId, callRoutes), for POST /_stub/incoming-calls.

const Text = v.pipe(v.string("must be a string"), v.maxLength(1024, "must be at most 1024 characters"));

/** incomingContext: who triggered the call, who is observed (policy-based recording), on whose behalf. */
export const IncomingContext = v.strictObject(
	{
		"@odata.type": typeTag("incomingContext"),
		sourceParticipantId: v.optional(Key),
		observedParticipantId: v.optional(v.nullable(Key)),
		onBehalfOf: v.optional(v.nullable(IdentitySet)),
		transferor: v.optional(v.nullable(IdentitySet)),
	},
	"must be an incomingContext object",
);
export type IncomingContext = v.InferOutput<typeof IncomingContext>;

const MEETING_INFO_KINDS = ["tokenMeetingInfo", "joinMeetingIdMeetingInfo", "organizerMeetingInfo"];
const KIND_NAMES = MEETING_INFO_KINDS.map((kind) => `#microsoft.graph.${kind}`).join(", ");

const MeetingInfoObject = v.looseObject(
	{
		"@odata.type": v.pipe(
			v.string(`is required: one of ${KIND_NAMES}`),
			v.check((type) => MEETING_INFO_KINDS.includes(graphTypeName(type) ?? ""), `must be one of ${KIND_NAMES}`),
		),
		token: v.optional(Text),
		joinMeetingId: v.optional(Text),
		passcode: v.optional(v.nullable(Text)),
		organizer: v.optional(IdentitySet),
		allowConversationWithoutHost: v.optional(v.nullable(v.boolean("must be true or false"))),
	},
	"must be a meetingInfo object",
);
type MeetingInfoInput = v.InferOutput<typeof MeetingInfoObject>;

/** A kind of meetingInfo names the member it cannot do without. */
const needs = (kind: string, member: "token" | "joinMeetingId" | "organizer") =>
	v.forward<MeetingInfoInput, v.CheckIssue<MeetingInfoInput>, [typeof member]>(
		v.check(
			(info) => graphTypeName(info["@odata.type"]) !== kind || info[member] !== undefined,
			`is required for a ${kind}`,
		),
		[member],
	);

/** meetingInfo is abstract: `@odata.type` picks the kind (token, join meeting id, organizer). */
export const MeetingInfo = v.pipe(
	MeetingInfoObject,
	needs("tokenMeetingInfo", "token"),
	needs("joinMeetingIdMeetingInfo", "joinMeetingId"),
	needs("organizerMeetingInfo", "organizer"),
);

export const ChatInfo = v.looseObject(
	{
		"@odata.type": typeTag("chatInfo"),
		threadId: v.optional(v.nullable(Text)),
		messageId: v.optional(v.nullable(Text)),
		replyChainMessageId: v.optional(v.nullable(Text)),
	},
	"must be a chatInfo object",
);

const RoutingType = v.picklist(["forwarded", "lookup", "selfFork"], "must be forwarded, lookup or selfFork");

/** callRoutes: how the call reached the bot (forwarded, looked up …), each from one identity to another. */
export const CallRoutes = v.pipe(
	v.array(
		v.looseObject(
			{
				"@odata.type": typeTag("callRoute"),
				final: IdentitySet,
				original: IdentitySet,
				routingType: RoutingType,
			},
			"must be a callRoute object",
		),
		"must be an array of callRoute",
	),
	v.maxLength(10, "must have at most 10 routes"),
);

/** Graph's call is open: a policy-based recording invite carries its join data here (`botData`). */
export const ApplicationMetadata = v.custom<Record<string, unknown>>(
	(input) => typeof input === "object" && input !== null && !Array.isArray(input),
	"must be an object",
);

/** callChainId: Graph's are GUIDs (a call record is found by it). */
export const CallChainId = v.pipe(
	v.string("must be a string"),
	v.regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, "must be a GUID"),
	v.toLowerCase(),
);
