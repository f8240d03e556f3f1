import type * as v from "valibot";
import { Call } from "../../openapi/response-schemas";
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
import type { CallbackPolicy } from "../../schema/stub-config";
import type { Route, RouteDoc } from "../route";
import { CALL_ACTIONS, callActionHandler } from "./call-actions";
import { getCall, hangUp } from "./call-item";
import { createCall } from "./create-call";
import { farHangUp, startIncomingCall } from "./stub-call-controls";

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
				handler: callActionHandler(name),
				doc: callDoc(
					`${name} the call`,
					{ [action.status]: { description: "Accepted; no body." } },
					action.body ? { json: ACTION_BODIES[name], name: bodyName(name) } : undefined,
				),
			}),
		),
	);
}

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
	]),
];
