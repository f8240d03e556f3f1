import type * as v from "valibot";
import { ActionOperation, Call, Participant, ParticipantCollection } from "../../openapi/response-schemas";
import { type ActionBodyName, actionBodySchema } from "../../schema/action-bodies";
import type { ApiVersion } from "../../schema/api-version";
import {
	answerSchema,
	createSchema,
	hangupSchema,
	incomingSchema,
	redirectSchema,
	rejectSchema,
	transferSchema,
} from "../../schema/call";
import { ACTION_ROUTES } from "../../schema/fault-plan";
import type { CallbackPolicy } from "../../schema/stub-config";
import type { Route, RouteDoc } from "../route";
import { audioRoutingGroupRows } from "./audio-routing-groups";
import { CALL_ACTIONS, callActionHandler } from "./call-actions";
import { getCall, hangUp } from "./call-item";
import { contentSharingRows } from "./content-sharing-sessions";
import { createCall } from "./create-call";
import { OPERATION_ACTIONS, operationActionHandler } from "./operation-actions";
import { deleteParticipant, getParticipant, listParticipants } from "./participants";
import { farHangUp, startIncomingCall } from "./stub-call-controls";
import { changeRoster, getRecording, pressTones, RosterBody, supplyRecording, TonesBody } from "./stub-media-controls";

// Graph's calls under /communications/calls and the legacy /app/calls alias; each action also under its
// namespace-qualified name (`…/microsoft.graph.answer`). Rows of the one route table (src/routes/route-table.ts).

const CALL_COLLECTIONS = ["/:version/communications/calls", "/:version/app/calls"];
const ACTION_PREFIXES = ["", "microsoft.graph."];

/** The document shows beta's bodies (a superset of v1.0's); the callback rule is the deployment's, not a shape. */
const DOC_VERSION: ApiVersion = "beta";
const DOC_POLICY: CallbackPolicy = { local: true, callbackHosts: [] };

/** Each call action's request body, for the document; an action without one here is documented as bodiless. */
const ACTION_BODIES: Record<string, v.GenericSchema | undefined> = {
	answer: answerSchema(DOC_VERSION, DOC_POLICY),
	reject: rejectSchema(DOC_POLICY),
	redirect: redirectSchema(DOC_POLICY),
	transfer: transferSchema,
};

const NEW_CALL_BODY = createSchema(DOC_VERSION, DOC_POLICY);

const callDoc = (
	summary: string,
	responses: RouteDoc["responses"],
	body?: { json: v.GenericSchema | undefined; name: string },
): RouteDoc => ({
	summary,
	tag: "Graph: calls",
	responses,
	...(body?.json ? { body: { json: body.json, name: body.name, required: true } } : {}),
});

const bodyName = (action: string) => `${action.charAt(0).toUpperCase()}${action.slice(1)}Body`;

function actionRows(calls: string): Route[] {
	return Object.entries(CALL_ACTIONS).flatMap(([name, action]) =>
		ACTION_PREFIXES.map(
			(prefix): Route => ({
				method: "POST",
				path: `${calls}/:callId/${prefix}${name}`,
				handler: callActionHandler(action),
				doc: callDoc(
					`${name} the call`,
					{ [action.status]: { description: "Accepted; no body." } },
					action.body ? { json: ACTION_BODIES[name], name: bodyName(name) } : undefined,
				),
			}),
		),
	);
}

// Spellings Graph's docs use besides the two regular ones (beta's page shows only this form).
const DOCUMENTED_SPELLINGS: Partial<Record<string, string>> = {
	startRecording: "microsoft.graph.StartRecording",
	stopRecording: "microsoft.graph.StopRecording",
};

/** Each operation-making action (OPERATION_ACTIONS), short and namespace-qualified: one handler for all. */
function operationActionRows(calls: string): Route[] {
	return ACTION_ROUTES.flatMap((name) => {
		const row = OPERATION_ACTIONS[name];
		const slash = row.path.lastIndexOf("/");
		const answer = row.operationType
			? { description: `The ${row.operationType}, status ${row.status}.`, json: ActionOperation }
			: { description: "Accepted; no body." };
		const last = row.path.slice(slash + 1);
		const spellings = [...ACTION_PREFIXES.map((prefix) => `${prefix}${last}`), DOCUMENTED_SPELLINGS[name] ?? []].flat();
		return spellings.map(
			(segment): Route => ({
				method: "POST",
				path: `${calls}/:callId/${row.path.slice(0, slash + 1)}${segment}`,
				handler: operationActionHandler(name),
				doc: callDoc(
					`${name}${row.versions.length === 1 ? ` (${row.versions[0]} only)` : ""}`,
					{ [row.http]: answer },
					{ json: actionBodySchema(DOC_VERSION, name as ActionBodyName), name: bodyName(name) },
				),
			}),
		);
	});
}

function participantRows(calls: string): Route[] {
	const participant = `${calls}/:callId/participants/:participantId`;
	return [
		{
			method: "GET",
			path: `${calls}/:callId/participants`,
			handler: listParticipants,
			doc: callDoc("List the call's participants", {
				200: { description: "The roster.", json: ParticipantCollection },
			}),
		},
		{
			method: "GET",
			path: participant,
			handler: getParticipant,
			doc: callDoc("Get a participant", { 200: { description: "The participant.", json: Participant } }),
		},
		{
			method: "DELETE",
			path: participant,
			handler: deleteParticipant,
			doc: callDoc("Remove a participant", { 204: { description: "Gone; a roster notification follows." } }),
		},
	];
}

const stubDoc = (summary: string, responses: RouteDoc["responses"], body?: RouteDoc["body"]): RouteDoc => ({
	summary,
	tag: "Stub: controls",
	responses,
	...(body ? { body } : {}),
});

export const CALL_ROUTES: readonly Route[] = [
	{
		method: "POST",
		path: "/_stub/incoming-calls",
		handler: startIncomingCall,
		doc: {
			summary: "Stub: someone calls the bot (the bot hears `created`, state incoming)",
			tag: "Stub: controls",
			body: { json: incomingSchema(DOC_POLICY), required: false, name: "StubIncomingCallBody" },
			responses: { 201: { description: "The incoming call.", json: Call } },
		},
	},
	{
		method: "POST",
		path: "/_stub/calls/:callId/hangup",
		handler: farHangUp,
		doc: {
			summary: "Stub: the far side hangs up (the bot hears `deleted`)",
			tag: "Stub: controls",
			body: { json: hangupSchema, required: false, name: "StubFarHangupBody" },
			responses: { 202: { description: "Accepted; no body." } },
		},
	},
	...CALL_COLLECTIONS.flatMap((calls): Route[] => [
		{
			method: "POST",
			path: calls,
			handler: createCall,
			doc: callDoc(
				"Create an outgoing call",
				{ 201: { description: "The new call, establishing.", json: Call } },
				{ json: NEW_CALL_BODY, name: "NewCallBody" },
			),
		},
		{
			method: "GET",
			path: `${calls}/:callId`,
			handler: getCall,
			doc: callDoc("Get a call", { 200: { description: "The call.", json: Call } }),
		},
		{
			method: "DELETE",
			path: `${calls}/:callId`,
			handler: hangUp,
			doc: callDoc("Hang up (the bot leaves the call)", { 204: { description: "Gone." } }),
		},
		...actionRows(calls),
		...operationActionRows(calls),
		...participantRows(calls),
		...audioRoutingGroupRows(calls),
		...contentSharingRows(calls),
	]),
	{
		method: "POST",
		path: "/_stub/calls/:callId/tones",
		handler: pressTones,
		doc: stubDoc(
			"Stub: the caller presses keys (toneInfo notifications; a stop tone ends a recording)",
			{ 202: { description: "Accepted; no body." } },
			{ json: TonesBody, required: true, name: "StubTonesBody" },
		),
	},
	{
		method: "POST",
		path: "/_stub/calls/:callId/roster",
		handler: changeRoster,
		doc: stubDoc(
			"Stub: people join or leave (roster notifications)",
			{ 202: { description: "Accepted; no body." } },
			{ json: RosterBody, required: true, name: "StubRosterBody" },
		),
	},
	{
		method: "PUT",
		path: "/_stub/calls/:callId/recording",
		handler: supplyRecording,
		doc: stubDoc("Stub: the audio (audio/wav, at most 1 MiB) the next recording returns", {
			204: { description: "Stored for the next recording." },
		}),
	},
	{
		method: "GET",
		path: "/_stub/recordings/:key",
		handler: getRecording,
		doc: {
			summary: "A recording, with Authorization: Bearer <recordingAccessToken>",
			tag: "Stub: public",
			auth: "none",
			responses: { 200: { description: "16 kHz mono 16-bit WAV.", other: "audio/wav" } },
		},
	},
];
