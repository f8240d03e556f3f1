import * as v from "valibot";
import { openApiResponse } from "../openapi/document";
import {
	Call,
	CallConfigView,
	CallSummaries,
	CommsOperation,
	DeliveryJournal,
	FaultJournal,
	Health,
	KeyRoles,
	KeySet,
	NamespaceConfigView,
	OpenApiDocument,
	OpenIdConfiguration,
	OperationCollection,
	RequestJournalPage,
	TesterOperationPage,
} from "../openapi/response-schemas";
import { CreateEntries, PatchEntries } from "../schema/comms-operation";
import { JOURNAL_QUERY_PARAMS } from "../schema/journal-query";
import { stubConfigSchema } from "../schema/stub-config";
import { CALL_ROUTES } from "./graph-calls/routes";
import { CALL_RECORD_ROUTES, ONLINE_MEETING_ROUTES } from "./graph-meetings/routes";
import { createOperation } from "./graph-operations/create-operation";
import { listOperations } from "./graph-operations/list-operations";
import { deleteOperation, getOperation, patchOperation } from "./graph-operations/operation-item";
import type { Route, RouteDoc } from "./route";
import { COMPLIANCE_ROUTES } from "./stub/compliance-routes";
import { health } from "./stub/health";
import { rotateSigningKeys } from "./stub/key-rotation";
import { liveCalls } from "./stub/live-calls-socket";
import { livePage } from "./stub/live-page";
import { liveTimeline } from "./stub/live-page-socket";
import { MEETING_ROUTES } from "./stub/meeting-routes";
import { testerCall, testerOperations } from "./stub/stub-call-reads";
import { listCalls, resetAllCalls, resetCall } from "./stub/stub-calls";
import {
	deleteCallConfig,
	deleteNamespaceConfig,
	getCallConfig,
	getJournal,
	getNamespaceConfig,
	getNotifications,
	patchNamespaceConfig,
	putCallConfig,
	putNamespaceConfig,
} from "./stub/stub-config";
import { listCallRequests, listNamespaceRequests } from "./stub/stub-requests";
import { KEYS_PATH, openIdConfiguration, signingKeySet } from "./stub/well-known";

// THE route table: the router registers these rows, in this order, and GET /_stub/openapi.json describes
// exactly these rows, so no route exists undocumented. Add a route by adding a row (or rows, as CALL_ROUTES).

const OPERATIONS = "/:version/communications/calls/:callId/operations";
const OPERATION = `${OPERATIONS}/:operationId`;

const OperationBody = (entries: v.ObjectEntries) =>
	v.looseObject({ "@odata.type": v.optional(v.string()), ...entries });
const DOC_POLICY = { local: true, callbackHosts: [] };

const operationDoc = (summary: string, responses: RouteDoc["responses"], rest: Partial<RouteDoc> = {}): RouteDoc => ({
	summary,
	tag: "Graph: operations",
	responses,
	...rest,
});
const controlDoc = (summary: string, responses: RouteDoc["responses"], rest: Partial<RouteDoc> = {}): RouteDoc => ({
	summary,
	tag: "Stub: controls",
	responses,
	...rest,
});
const publicDoc = (summary: string, responses: RouteDoc["responses"]): RouteDoc => ({
	summary,
	tag: "Stub: public",
	auth: "none",
	responses,
});
const configBody = { json: stubConfigSchema(DOC_POLICY), required: true, name: "StubConfig" };

export const ROUTES: readonly Route[] = [
	// Graph's routes first: the router tries each pattern in turn, and these carry nearly all the traffic.
	{
		method: "GET",
		path: OPERATIONS,
		handler: listOperations,
		doc: operationDoc(
			"List a call's operations, in sequence order",
			{ 200: { description: "One page.", json: OperationCollection } },
			{ query: ["$top", "$count", "$skiptoken"] },
		),
	},
	{
		method: "POST",
		path: OPERATIONS,
		handler: createOperation,
		doc: operationDoc(
			"Create a commsOperation (or a derived type named by @odata.type)",
			{ 201: { description: "The stored operation.", json: CommsOperation } },
			{ body: { json: OperationBody(CreateEntries), required: true, name: "CommsOperationCreateBody" } },
		),
	},
	{
		method: "GET",
		path: OPERATION,
		handler: getOperation,
		doc: operationDoc("Get an operation (`$count` as the id: the number of operations, as text)", {
			200: {
				description: "The operation (or, for `$count`, a number as text).",
				json: CommsOperation,
				other: "text/plain",
			},
		}),
	},
	{
		method: "PATCH",
		path: OPERATION,
		handler: patchOperation,
		doc: operationDoc(
			"Update an operation",
			{ 200: { description: "The operation as updated.", json: CommsOperation } },
			{ body: { json: OperationBody(PatchEntries), required: true, name: "CommsOperationPatchBody" } },
		),
	},
	{
		method: "DELETE",
		path: OPERATION,
		handler: deleteOperation,
		doc: operationDoc("Delete an operation", { 204: { description: "Gone." } }),
	},
	{
		method: "GET",
		path: "/_stub/",
		handler: livePage,
		doc: publicDoc("The live page: your calls and each call's timeline", {
			200: { description: "The page.", other: "text/html" },
		}),
	},
	{
		method: "GET",
		path: "/_stub/openapi.json",
		handler: (request) => openApiResponse(ROUTES, request),
		doc: publicDoc("This document", { 200: { description: "OpenAPI 3.1.", json: OpenApiDocument } }),
	},
	{
		method: "GET",
		path: "/_stub/health",
		handler: health,
		doc: publicDoc("Liveness, for load balancers and start-up scripts", {
			200: { description: "Up.", json: Health },
		}),
	},
	{
		method: "GET",
		path: "/_stub/.well-known/openid-configuration",
		handler: openIdConfiguration,
		doc: publicDoc("The notification issuer's metadata", {
			200: { description: "OpenID metadata.", json: OpenIdConfiguration },
		}),
	},
	{
		method: "GET",
		path: KEYS_PATH,
		handler: signingKeySet,
		doc: publicDoc("The public keys notifications are signed with", {
			200: { description: "A JWK set.", json: KeySet },
		}),
	},
	{
		method: "POST",
		path: "/_stub/keys/rotate",
		handler: rotateSigningKeys,
		doc: controlDoc(
			"One step of a signing-key rotation: publish a next key, or make the published next key sign (served locally only)",
			{ 200: { description: "The kid of each key's role after this step.", json: KeyRoles } },
		),
	},
	{
		method: "GET",
		path: "/_stub/config",
		handler: getNamespaceConfig,
		doc: controlDoc("The namespace's default configuration", {
			200: { description: "The configuration.", json: NamespaceConfigView },
		}),
	},
	{
		method: "PUT",
		path: "/_stub/config",
		handler: putNamespaceConfig,
		doc: controlDoc(
			"Set the namespace's default configuration",
			{ 200: { description: "As stored.", json: NamespaceConfigView } },
			{ body: configBody },
		),
	},
	{
		method: "PATCH",
		path: "/_stub/config",
		handler: patchNamespaceConfig,
		doc: controlDoc(
			"Merge into the namespace's default configuration (JSON Merge Patch: objects merge, null removes a key, arrays replace)",
			{ 200: { description: "The merged configuration, as stored.", json: NamespaceConfigView } },
			{ body: { json: v.looseObject({}), required: true, name: "StubConfigPatch" } },
		),
	},
	{
		method: "DELETE",
		path: "/_stub/config",
		handler: deleteNamespaceConfig,
		doc: controlDoc("Remove the namespace's default configuration", {
			200: { description: "None.", json: NamespaceConfigView },
		}),
	},
	{
		method: "GET",
		path: "/_stub/calls/:callId/config",
		handler: getCallConfig,
		doc: controlDoc("A call's configuration: own, inherited, effective", {
			200: { description: "The configurations.", json: CallConfigView },
		}),
	},
	{
		method: "PUT",
		path: "/_stub/calls/:callId/config",
		handler: putCallConfig,
		doc: controlDoc(
			"Set a call's own configuration",
			{ 200: { description: "The configurations.", json: CallConfigView } },
			{ body: configBody },
		),
	},
	{
		method: "DELETE",
		path: "/_stub/calls/:callId/config",
		handler: deleteCallConfig,
		doc: controlDoc("Back to the namespace default", {
			200: { description: "The configurations.", json: CallConfigView },
		}),
	},
	{
		method: "GET",
		path: "/_stub/calls/:callId/notifications",
		handler: getNotifications,
		doc: controlDoc("The delivery journal: each notification and every attempt", {
			200: { description: "In notification order.", json: DeliveryJournal },
		}),
	},
	{
		method: "GET",
		path: "/_stub/calls/:callId/journal",
		handler: getJournal,
		doc: controlDoc("Injected faults and Retry-After violations", {
			200: { description: "In order.", json: FaultJournal },
		}),
	},
	{
		method: "GET",
		path: "/_stub/calls/:callId/requests",
		handler: listCallRequests,
		doc: controlDoc(
			"The call's request journal, newest first: each request the call answered, with both bodies (16 KiB each)",
			{ 200: { description: "One page, or with `count=true` the number of matches.", json: RequestJournalPage } },
			{ query: JOURNAL_QUERY_PARAMS },
		),
	},
	{
		method: "GET",
		path: "/_stub/requests",
		handler: listNamespaceRequests,
		doc: controlDoc(
			"The request journals of your namespace's calls (the 50 newest registered) and its requests refused before they reached a call, merged newest first",
			{
				200: {
					description: "One page (each entry names its callId), or the number of matches.",
					json: RequestJournalPage,
				},
			},
			{ query: JOURNAL_QUERY_PARAMS },
		),
	},
	{
		method: "GET",
		path: "/_stub/calls/:callId/live",
		handler: liveTimeline,
		doc: controlDoc(
			"The call's timeline, live: a WebSocket (the token in the header or as `access_token`); each message is the whole timeline",
			{ 101: { description: "Switching to the WebSocket." } },
			{ query: ["access_token"] },
		),
	},
	{
		method: "GET",
		path: "/_stub/live",
		handler: liveCalls,
		doc: controlDoc(
			"Your calls list, live: a WebSocket (the token in the header or as `access_token`); each message is `{calls, ended}`, the summaries that changed and the calls that ended",
			{ 101: { description: "Switching to the WebSocket." } },
			{ query: ["access_token"] },
		),
	},
	{
		method: "GET",
		path: "/_stub/calls",
		handler: listCalls,
		doc: controlDoc(
			"Your calls, newest first (the order they began), one page",
			{ 200: { description: "One page of summaries.", json: CallSummaries } },
			{ query: ["$top", "$skiptoken"] },
		),
	},
	{
		method: "DELETE",
		path: "/_stub/calls",
		handler: resetAllCalls,
		doc: controlDoc("Remove every call of your namespace", { 204: { description: "Gone." } }),
	},
	{
		method: "GET",
		path: "/_stub/calls/:callId/operations",
		handler: testerOperations,
		doc: controlDoc(
			"The call's operations as the bot would read them, but not Graph traffic (no fault plan, no Retry-After bookkeeping, not journaled)",
			{ 200: { description: "One page, in sequence order.", json: TesterOperationPage } },
			{ query: ["$top", "$skiptoken"] },
		),
	},
	{
		method: "GET",
		path: "/_stub/calls/:callId",
		handler: testerCall,
		doc: controlDoc("The call resource as stored (an ended call too), read without counting as Graph traffic", {
			200: { description: "The call.", json: Call },
		}),
	},
	{
		method: "DELETE",
		path: "/_stub/calls/:callId",
		handler: resetCall,
		doc: controlDoc("Remove one call (its next create is sequence 1)", { 204: { description: "Gone." } }),
	},
	// The calls themselves, after the operations.
	...CALL_ROUTES,
	...MEETING_ROUTES,
	...ONLINE_MEETING_ROUTES,
	...CALL_RECORD_ROUTES,
	...COMPLIANCE_ROUTES,
];
