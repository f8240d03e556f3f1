import * as v from "valibot";
import { GraphError } from "../http/graph-error";
import { API_VERSIONS, type ApiVersion } from "./api-version";
import { builtPerPolicy } from "./built-per-policy";
import {
	InvitationParticipantInfo,
	isAppHosted,
	MediaConfig,
	Modalities,
	OpenObject,
	ParticipantInfo,
	Targets,
	typeTag,
} from "./call-parts";
import { ApplicationMetadata, CallChainId, CallRoutes, IncomingContext } from "./incoming-context";
import { ChatInfo, MeetingInfo, meetingInfoKind } from "./meeting-info";
import { ResultInfo } from "./result-info";
import { ClientContext } from "./scalars";
import { type CallbackPolicy, callbackUri } from "./stub-config";
import { fieldIssue, invalid, parsedOrInvalid } from "./validation-error";

// Request bodies of the call itself (POST /calls, its actions, and the stub's incoming call), validated
// per version at the edge: every failing field is named in one 400.

const Tenant = v.optional(v.nullable(v.pipe(v.string("must be a string"), v.maxLength(128))));
const Subject = v.optional(v.nullable(v.pipe(v.string("must be a string"), v.maxLength(1024))));

export const createSchema = (version: ApiVersion, policy: CallbackPolicy) =>
	v.looseObject({
		"@odata.type": typeTag("call"),
		callbackUri: callbackUri(policy),
		mediaConfig: MediaConfig,
		requestedModalities: v.optional(Modalities(version)),
		targets: v.optional(Targets(0, 25)),
		chatInfo: v.optional(v.nullable(ChatInfo)),
		meetingInfo: v.optional(v.nullable(MeetingInfo)),
		source: v.optional(v.nullable(ParticipantInfo)),
		tenantId: Tenant,
		subject: Subject,
		callOptions: v.optional(v.nullable(OpenObject("outgoingCallOptions"))),
		direction: v.optional(v.literal("outgoing", 'must be "outgoing"')),
	});
export type NewCallBody = v.InferOutput<ReturnType<typeof createSchema>>;

const missingMediaConfig = () => new GraphError(400, "8523", "Missing mediaConfig information.");

const parse = <S extends v.GenericSchema>(schema: S, body: unknown) => parsedOrInvalid(schema, body, "request body");

// The schemas a request is parsed with, built once per callback policy (and per version) rather than per request.
const createSchemas = builtPerPolicy((policy) => ({
	"v1.0": createSchema("v1.0", policy),
	beta: createSchema("beta", policy),
}));

/** POST /communications/calls: Graph's required fields, then 8523 for app-hosted media without its blob. */
export function parseNewCall(version: ApiVersion, body: Record<string, unknown>, policy: CallbackPolicy): NewCallBody {
	const call = parse(createSchemas(policy)[version], body);
	if (!call.targets?.length && !call.meetingInfo)
		throw invalid("request body", [
			fieldIssue("targets", "is required: one or more targets, or meetingInfo (and chatInfo) to join a meeting"),
		]);
	// An organizer's meeting is named by its chat thread; a joinMeetingId or a token names it alone (research §1.2).
	if (call.meetingInfo && meetingInfoKind(call.meetingInfo) === "organizerMeetingInfo" && !call.chatInfo?.threadId)
		throw invalid("request body", [
			fieldIssue("chatInfo.threadId", "is required to join a meeting with an organizerMeetingInfo"),
		]);
	if (isAppHosted(call.mediaConfig) && !call.mediaConfig.blob) throw missingMediaConfig();
	return call;
}

export const answerSchema = (version: ApiVersion, policy: CallbackPolicy) =>
	v.looseObject({
		callbackUri: callbackUri(policy),
		mediaConfig: MediaConfig,
		acceptedModalities: v.optional(v.nullable(Modalities(version))),
		participantCapacity: v.optional(v.nullable(v.pipe(v.number(), v.integer("must be a whole number")))),
		callOptions: v.optional(v.nullable(OpenObject("incomingCallOptions"))),
	});

const RejectReason = v.picklist(["none", "busy", "forbidden"], "must be none, busy or forbidden");

export const rejectSchema = (policy: CallbackPolicy) =>
	v.looseObject({
		reason: v.optional(v.nullable(v.pipe(v.string("must be a string"), v.toLowerCase(), RejectReason))),
		callbackUri: v.optional(v.nullable(callbackUri(policy))),
	});

export const redirectSchema = (policy: CallbackPolicy) =>
	v.looseObject({
		targets: Targets(1, 25),
		timeout: v.optional(
			v.nullable(
				v.pipe(
					v.number(),
					v.integer(),
					v.minValue(15, "must be 15 to 90 seconds"),
					v.maxValue(90, "must be 15 to 90 seconds"),
				),
			),
		),
		callbackUri: v.optional(v.nullable(callbackUri(policy))),
	});

export const transferSchema = v.looseObject({
	transferTarget: InvitationParticipantInfo,
	transferee: v.optional(v.nullable(ParticipantInfo)),
	clientContext: v.optional(ClientContext),
});

export type AnswerBody = v.InferOutput<ReturnType<typeof answerSchema>>;

const answerSchemas = builtPerPolicy((policy) => ({
	"v1.0": answerSchema("v1.0", policy),
	beta: answerSchema("beta", policy),
}));
const rejectSchemas = builtPerPolicy(rejectSchema);
const redirectSchemas = builtPerPolicy(redirectSchema);

/** The bodies of the actions on a call, by action name. */
export function parseAnswer(version: ApiVersion, body: Record<string, unknown>, policy: CallbackPolicy) {
	const answer = parse(answerSchemas(policy)[version], body);
	if (isAppHosted(answer.mediaConfig) && !answer.mediaConfig.blob) throw missingMediaConfig();
	return answer;
}
export const parseReject = (body: Record<string, unknown>, policy: CallbackPolicy) =>
	parse(rejectSchemas(policy), body);
export const parseRedirect = (body: Record<string, unknown>, policy: CallbackPolicy) =>
	parse(redirectSchemas(policy), body);
export const parseTransfer = (body: Record<string, unknown>) => parse(transferSchema, body);

export const incomingSchema = (policy: CallbackPolicy) =>
	v.strictObject({
		callbackUri: v.optional(callbackUri(policy)),
		source: v.optional(ParticipantInfo),
		targets: v.optional(Targets(1, 25)),
		tenantId: Tenant,
		requestedModalities: v.optional(Modalities("beta")),
		incomingContext: v.optional(IncomingContext),
		meetingInfo: v.optional(v.nullable(MeetingInfo)),
		chatInfo: v.optional(v.nullable(ChatInfo)),
		callChainId: v.optional(CallChainId),
		callRoutes: v.optional(CallRoutes),
		applicationMetadata: v.optional(ApplicationMetadata),
		// The version the bot hears the call in until it answers (then the answer's): v1.0 when not given.
		apiVersion: v.optional(v.picklist(API_VERSIONS, `must be one of ${API_VERSIONS.join(", ")}`)),
		answerTimeoutMs: v.optional(
			v.pipe(
				v.number(),
				v.integer("must be a whole number"),
				v.minValue(0),
				v.maxValue(3_600_000, "must be at most 3600000"),
			),
		),
	});
export type IncomingCallBody = v.InferOutput<ReturnType<typeof incomingSchema>>;

/** POST /_stub/incoming-calls (a stub extension: unknown keys are refused, to catch typos). */
const incomingSchemas = builtPerPolicy(incomingSchema);
export const parseIncomingCall = (body: Record<string, unknown>, policy: CallbackPolicy) =>
	parse(incomingSchemas(policy), body);

export const hangupSchema = v.strictObject({ resultInfo: v.optional(ResultInfo) });

/** POST /_stub/calls/{id}/hangup: the far side leaves, with an optional resultInfo. */
export const parseFarHangup = (body: Record<string, unknown>) => parse(hangupSchema, body);
