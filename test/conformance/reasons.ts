// Why an answer differs from a documented example. Each difference the replay finds must match a rule
// here (its example id, if given, and its text); one that matches none fails the test, so a new
// difference is explained (or fixed) before docs/conformance.md is regenerated.

export const REASONS = {
	idEtag: {
		kind: "not served yet",
		text: "Notifications carry no `@odata.id` and `@odata.etag` in `resourceData`, which the pages show on operations and calls (issue 19, item 7).",
	},
	context: {
		kind: "not served yet",
		text: "The answers of mute, unmute and a participant's mute carry no `@odata.context`, which their pages show.",
	},
	nulls: {
		kind: "inferred behaviour",
		text: "The stub leaves out a property it has no value for where the example writes `null`; a client reads the same absent value.",
	},
	scenario: {
		kind: "a value, not a shape",
		text: "The page's call has something the replay's call has not (a region, a tenant, a meeting, a chat, a transcription, an answering party, a screen-sharing stream, a route it came by): the stub answers `null` or another member where the example shows one of its own values.",
	},
	parties: {
		kind: "a value, not a shape",
		text: "The page's parties are other identities (users, applications, phones, with tenants and identity providers) than the replay's call has: who is in a call is a value of the scenario.",
	},
	replayCall: {
		kind: "a value, not a shape",
		text: "The replay made the call with its own minimal body (a target whose identity has no `@odata.type`), not the body the page's call was made with.",
	},
	callProperties: {
		kind: "not served yet",
		text: "The stub's call has no `callRoutes`, `routingPolicies`, `activeModalities`, `applicationMetadata` or `mediaConfig.preFetchMedia`.",
	},
	participantIds: {
		kind: "not served yet",
		text: "The stub fills no `id` (nor beta's `platformId`) in a participantInfo.",
	},
	mediaStreams: {
		kind: "not served yet",
		text: "The stub's participants have no `mediaStreams`.",
	},
	docsInfoType: {
		kind: "docs contradict themselves",
		text: "The example's type is not the declared one: `call.targets` are `invitationParticipantInfo` and `participant.info` is `participantInfo` in the schema (and on the other pages); the stub follows the schema.",
	},
	docsCallbackUri: {
		kind: "docs contradict themselves",
		text: "These notification items carry `callbackUri`, which commsNotification does not declare (no other page's notification has it).",
	},
	docsCode: {
		kind: "docs contradict themselves",
		text: "`resultInfo.code` is an Int32 in the schema and a number on every other page; this example writes it as a string.",
	},
	placeholders: {
		kind: "docs contradict themselves",
		text: "The example's request holds placeholders, not values (`String` on the generated operations pages, `notRecording | recording | failed` on updateRecordingStatus): the stub refuses them with 400, as it refuses any value outside the enum.",
	},
	docsWrapper: {
		kind: "docs contradict themselves",
		text: "The generated get page wraps the operation in `value`, as a collection; a single entity's GET (and every other page) answers the entity itself.",
	},
	muteAll: {
		kind: "docs contradict themselves",
		text: 'The example\'s `participants: [""]` is a placeholder, not an id (refused with 400), and this older page shows a plain commsOperation where the beta schema returns `muteParticipantsOperation`; the stub serves muteAll on a call joined to a meeting.',
	},
	roster: {
		kind: "not served yet",
		text: "An outgoing call that is established sends no roster (`participants` updated) notification.",
	},
	outcome: {
		kind: "another outcome",
		text: "The page documents another outcome beside the one replayed (a failure, a cancellation, a stop tone): one replay drives the success path, and the stub's controls (fault plans, `/_stub/calls/{id}/tones`, cancelMediaProcessing) reach the others in their own tests.",
	},
	terminationReason: {
		kind: "not served yet",
		text: "A call ended by a completed transfer has no `terminationReason`.",
	},
	v1View: {
		kind: "version view",
		text: "The v1.0 page shows a property the stub's v1.0 view leaves out as declared only in beta (issue 19, item 8: each version answers with its own schema).",
	},
	toneInfo: {
		kind: "not served yet",
		text: "The call notification for a pressed key does not carry the `toneInfo` the page shows.",
	},
} as const satisfies Record<string, { kind: string; text: string }>;

export type ReasonKey = keyof typeof REASONS;
type Rule = { reason: ReasonKey; difference: RegExp; example?: RegExp };

/** In order: the first rule that matches a difference gives its reason. */
export const RULES: readonly Rule[] = [
	{ reason: "outcome", example: /transfer-failed|error-case/, difference: /./ },
	{ reason: "outcome", example: /call-record\/notification/, difference: /completionReason/ },
	{ reason: "idEtag", difference: /@odata\.(id|etag): missing$/ },
	{ reason: "context", difference: /^@odata\.context: missing$/ },
	{ reason: "placeholders", difference: /is not a valid (operationStatus|recordingStatus)/ },
	{
		reason: "placeholders",
		example: /commsoperation-list/,
		difference: /(status: "NotStarted" where the docs show "String"|null where)/,
	},
	{ reason: "docsWrapper", example: /commsoperation-get/, difference: /^value: missing$/ },
	{ reason: "muteAll", example: /participant-muteall/, difference: /^status \d+ where the docs show 200/ },
	{
		reason: "v1View",
		example: /^v1\.0\//,
		difference:
			/^(value\[\d+\]\.resourceData\.)?(answeredBy|ringingTimeoutInSeconds|terminationReason|completionReason|targets\[\d+\]\.endpointType): missing$/,
	},
	{ reason: "roster", difference: /no notification "updated participants " was sent/ },
	{ reason: "docsCallbackUri", difference: /^value\[\d+\]\.callbackUri: missing$/ },
	{ reason: "docsCode", difference: /resultInfo\.code: number where the docs show string/ },
	{
		reason: "docsInfoType",
		difference:
			/targets\[\d+\]\.@odata\.type: #microsoft\.graph\.invitationParticipantInfo where the docs show #microsoft\.graph\.participantInfo/,
	},
	{
		reason: "docsInfoType",
		difference:
			/info\.@odata\.type: #microsoft\.graph\.participantInfo where the docs show #microsoft\.graph\.invitationParticipantInfo/,
	},
	{ reason: "mediaStreams", difference: /mediaStreams: empty where the docs show/ },
	{ reason: "terminationReason", difference: /terminationReason: null where the docs show string/ },
	{ reason: "toneInfo", difference: /toneInfo: null where the docs show object/ },
	{ reason: "replayCall", example: /call-get/, difference: /identity\.user\.@odata\.type: missing$/ },
	{ reason: "nulls", difference: /: missing \(the docs show null\)$/ },
	{
		reason: "callProperties",
		difference:
			/^(value\[\d+\]\.resourceData\.)?(callRoutes|routingPolicies|activeModalities|applicationMetadata|mediaConfig\.preFetchMedia): missing$/,
	},
	{ reason: "participantIds", difference: /(info|source|targets\[\d+\])\.(id|platformId): missing$/ },
	{
		reason: "parties",
		difference:
			/identity(\.\w+)*: missing$|\.(displayName|tenantId|identityProvider|applicationInstance|endpointType): missing$/,
	},
	{ reason: "parties", difference: /identity\.\w+\.@odata\.type: missing$/ },
	{ reason: "scenario", difference: /: null where the docs show (string|object)$|\.(region|languageId): missing$/ },
	{ reason: "scenario", difference: /callRoutes: empty where the docs show/ },
	{
		reason: "scenario",
		example: /changescreensharingrole/,
		difference: /direction: "receiveOnly" where the docs show "sendOnly"/,
	},
];

export function reasonFor(exampleId: string, difference: string): ReasonKey | undefined {
	return RULES.find((rule) => (!rule.example || rule.example.test(exampleId)) && rule.difference.test(difference))
		?.reason;
}
