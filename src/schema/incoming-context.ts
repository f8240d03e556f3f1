import * as v from "valibot";
import { documentedAs } from "../openapi/documented-as";
import { IdentitySet, typeTag } from "./call-parts";
import { Key } from "./scalars";

// What an incoming call's notification carries about where it came from (Graph's call resource:
// incomingContext, meetingInfo, chatInfo, callChainId, callRoutes), for POST /_stub/incoming-calls.

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

// A meeting join and an incoming call take the same meetingInfo and chatInfo (meeting-info.ts).
export { ChatInfo, MeetingInfo } from "./meeting-info";

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
export const ApplicationMetadata = documentedAs(
	v.custom<Record<string, unknown>>(
		(input) => typeof input === "object" && input !== null && !Array.isArray(input),
		"must be an object",
	),
	{ type: "object", description: "Any JSON object (a policy-based recording invite's `botData`)." },
);

/** callChainId: Graph's are GUIDs (a call record is found by it). */
export const CallChainId = v.pipe(
	v.string("must be a string"),
	v.regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, "must be a GUID"),
	v.toLowerCase(),
);
