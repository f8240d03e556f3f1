import * as v from "valibot";
import { DIRECTIONS, MEDIA_TYPES } from "../meetings/participant-shape";
import { OPERATION_STATUSES } from "../schema/operation-status";

// What the Worker answers, as valibot schemas: the OpenAPI document is generated from these, and the
// tests check real responses against that document, so a shape change without a schema change fails.
// Open (`looseObject`) where Graph's types are open or carry more than the stub vouches for.

const DateTime = v.pipe(v.string(), v.isoTimestamp());
const Nullable = <S extends v.GenericSchema>(schema: S) => v.nullable(schema);

/** Graph's error envelope: every 4xx/5xx the Worker answers. */
export const GraphErrorEnvelope = v.strictObject({
	error: v.strictObject({
		code: v.string(),
		message: v.string(),
		details: v.optional(v.array(v.looseObject({ code: v.string(), message: v.string(), target: v.string() }))),
		innerError: v.strictObject({
			date: v.string(),
			"request-id": v.optional(v.string()),
			"client-request-id": v.optional(v.string()),
		}),
	}),
});

const ResultInfoOut = Nullable(
	v.looseObject({ code: v.number(), subcode: v.number(), message: v.nullable(v.string()) }),
);

// Neither version of Graph's schema declares these two; commsOperation is an open type, and the stub's
// operations contract carries them as dynamic properties (as early Graph beta did).
const dynamic = (what: string) =>
	v.pipe(
		DateTime,
		v.description(
			`Dynamic property of the operations contract (commsOperation is an open type; Graph's schema does not declare it): ${what}.`,
		),
	);
const OperationTimes = {
	createdDateTime: dynamic("when the operation was created (UTC)"),
	lastActionDateTime: dynamic("when the operation last changed (UTC)"),
};

const PER_VERSION =
	"Served as the version of the request declares the type: a property only the other version declares (e.g. beta's playPromptOperation.completionReason through v1.0) is left out.";

/** A commsOperation (or a derived type) as stored and served. */
export const CommsOperation = v.pipe(
	v.looseObject({
		"@odata.context": v.optional(v.string()),
		"@odata.type": v.string(),
		id: v.string(),
		status: v.picklist(OPERATION_STATUSES),
		clientContext: v.nullable(v.string()),
		resultInfo: ResultInfoOut,
		...OperationTimes,
	}),
	v.description(`A commsOperation or a derived type (open types). ${PER_VERSION}`),
);

/** An action's synchronous answer: the operation it made, with the status casing Graph's docs show. */
export const ActionOperation = v.pipe(
	v.looseObject({
		"@odata.type": v.string(),
		id: v.string(),
		status: v.string(),
		clientContext: v.optional(v.nullable(v.string())),
		...OperationTimes,
	}),
	v.description(`The operation the action made. ${PER_VERSION}`),
);

/** A participant's stream: a bot maps `sourceId` to the person sending it. */
export const MediaStream = v.looseObject({
	"@odata.type": v.literal("#microsoft.graph.mediaStream"),
	mediaType: v.picklist(MEDIA_TYPES),
	label: v.nullable(v.string()),
	sourceId: v.string(),
	direction: v.picklist(DIRECTIONS),
	serverMuted: v.boolean(),
});

/** A participant of a call (an open shape: what Graph and the bot put in it). */
export const Participant = v.looseObject({
	"@odata.context": v.optional(v.string()),
	"@odata.type": v.literal("#microsoft.graph.participant"),
	id: v.string(),
	info: v.looseObject({ identity: v.optional(v.looseObject({})) }),
	isMuted: v.boolean(),
	isInLobby: v.boolean(),
	mediaStreams: v.array(MediaStream),
	metadata: v.optional(v.nullable(v.string())),
	// A meeting's participant (beta shows them; v1.0 views may leave some out).
	recordingInfo: v.optional(v.nullable(v.looseObject({}))),
	removedState: v.optional(v.nullable(v.looseObject({ reason: v.string() }))),
	restrictedExperience: v.optional(v.nullable(v.looseObject({}))),
	rosterSequenceNumber: v.optional(v.number()),
});

export const ParticipantCollection = v.strictObject({ "@odata.context": v.string(), value: v.array(Participant) });

export const OperationCollection = v.strictObject({
	"@odata.context": v.string(),
	"@odata.count": v.optional(v.number()),
	value: v.array(CommsOperation),
	"@odata.nextLink": v.optional(v.string()),
});

/** GET /_stub/calls/{id}/operations: OperationCollection without the OData context. */
export const TesterOperationPage = v.strictObject({
	value: v.array(CommsOperation),
	"@odata.nextLink": v.optional(v.string()),
});

/** The call resource: the properties the stub always serves; the rest is what the bot sent. */
export const Call = v.pipe(
	v.looseObject({
		"@odata.context": v.optional(v.string()),
		"@odata.type": v.literal("#microsoft.graph.call"),
		id: v.string(),
		state: v.string(),
		direction: v.picklist(["incoming", "outgoing"]),
		callbackUri: v.string(),
		callChainId: v.string(),
		myParticipantId: v.nullable(v.string()),
		source: v.nullable(v.looseObject({})),
		targets: v.array(v.looseObject({})),
		/** null on an incoming call until the bot answers. */
		mediaConfig: v.nullable(v.looseObject({})),
	}),
	v.description(
		"The call (an open type). Through beta it also carries answeredBy, ringingTimeoutInSeconds and terminationReason, and each target its endpointType; through v1.0, which does not declare them, it does not.",
	),
);

export const CallSummaries = v.strictObject({
	value: v.array(
		v.strictObject({
			callId: v.string(),
			operationCount: v.number(),
			lastActivity: v.string(),
			state: v.optional(v.string()),
			direction: v.optional(v.string()),
		}),
	),
	"@odata.nextLink": v.optional(v.string()),
});

/** A configuration as read back: the callbackToken is write-only. */
const ConfigView = v.nullable(v.looseObject({ callbackTokenSet: v.optional(v.literal(true)) }));
export const CallConfigView = v.strictObject({ own: ConfigView, inherited: ConfigView, effective: ConfigView });
export const NamespaceConfigView = v.strictObject({ config: ConfigView });

export const DeliveryJournal = v.strictObject({
	value: v.array(
		v.strictObject({
			sequence: v.number(),
			operationId: v.nullable(v.string()),
			resourceUrl: v.optional(v.string()),
			changeType: v.string(),
			state: v.string(),
			callState: v.nullable(v.string()),
			operationType: v.nullable(v.string()),
			operationStatus: v.nullable(v.string()),
			createdDateTime: v.string(),
			nextAttemptDateTime: v.nullable(v.string()),
			attempts: v.array(
				v.strictObject({
					attempt: v.number(),
					dateTime: v.string(),
					status: v.nullable(v.number()),
					error: v.nullable(v.string()),
					hops: v.optional(v.array(v.strictObject({ status: v.number(), location: v.string() }))),
				}),
			),
			payload: v.unknown(),
		}),
	),
});

export const FaultJournal = v.strictObject({
	value: v.array(v.looseObject({ sequence: v.number(), dateTime: v.string(), kind: v.string(), route: v.string() })),
});

const JournalEntryOut = v.strictObject({
	sequence: v.number(),
	dateTime: v.string(),
	source: v.picklist(["bot", "tester"]),
	method: v.string(),
	path: v.string(),
	query: v.string(),
	route: v.string(),
	status: v.number(),
	outcome: v.string(),
	clientRequestId: v.string(),
	/** The body's JSON, or its text (not JSON, or cut). */
	requestBody: v.optional(v.unknown()),
	requestBodyTruncated: v.optional(v.literal(true)),
	responseBody: v.optional(v.unknown()),
	responseBodyTruncated: v.optional(v.literal(true)),
	fault: v.optional(v.strictObject({ status: v.number(), retryAfterSeconds: v.optional(v.number()) })),
	delayMs: v.optional(v.number()),
	/** GET /_stub/requests only: the call the request was for. */
	callId: v.optional(v.string()),
});

/** A page of the request journal, newest first; or, with `count=true`, how many entries match. */
export const RequestJournalPage = v.union([
	v.strictObject({ value: v.array(JournalEntryOut), "@odata.nextLink": v.optional(v.string()) }),
	v.strictObject({ "@odata.count": v.number() }),
]);

export const Health = v.strictObject({ status: v.literal("ok"), version: v.string() });

export const OpenIdConfiguration = v.strictObject({
	issuer: v.string(),
	jwks_uri: v.string(),
	id_token_signing_alg_values_supported: v.array(v.string()),
	token_endpoint_auth_signing_alg_values_supported: v.array(v.string()),
});

export const KeySet = v.strictObject({ keys: v.array(v.looseObject({ kty: v.string(), kid: v.string() })) });

export const KeyRoles = v.strictObject({
	signing: v.string(),
	next: v.nullable(v.string()),
	previous: v.nullable(v.string()),
});

/** The OpenAPI document itself, checked properly by an OpenAPI validator in the tests. */
export const OpenApiDocument = v.looseObject({
	openapi: v.string(),
	info: v.looseObject({}),
	paths: v.looseObject({}),
});
