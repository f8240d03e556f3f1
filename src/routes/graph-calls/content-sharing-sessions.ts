import * as v from "valibot";
import { callerNamespace, callObject } from "../../calls/call-object";
import { collectionContext } from "../../calls/odata-urls";
import { requestFacts } from "../../calls/request-facts";
import { GraphError } from "../../http/graph-error";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import type { ApiVersion } from "../../schema/api-version";
import { callPath, contentSharingSessionPath } from "../../schema/path-params";
import { versionView } from "../../schema/version-view";
import type { Route, RouteDoc } from "../route";
import { callAnswer } from "./call-answer";

// GET …/calls/{id}/contentSharingSessions and …/contentSharingSessions/{sid} (v1.0 and beta): the screen
// shares of the call's meeting (src/objects/call/content-sharing.ts); v1.0 sees `id` only.

const sessionsContext = (origin: string, version: ApiVersion, callId: string) =>
	collectionContext(origin, version, callId, "contentSharingSessions");

async function listSessions(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { version, callId } = callPath(request.params);
	const facts = requestFacts(request, "listContentSharingSessions", 200);
	const value = callAnswer(await callObject(env, namespace, callId).contentSharingSessions(undefined, facts));
	const context = sessionsContext(request.meta.origin, version, callId);
	return odataJson(JSON.stringify({ "@odata.context": context, value: versionView(value, version) }));
}

async function getSession(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { version, callId, sessionId } = contentSharingSessionPath(request.params);
	const facts = requestFacts(request, "getContentSharingSession", 200);
	const found = callAnswer(await callObject(env, namespace, callId).contentSharingSessions(sessionId, facts));
	if (!found || Array.isArray(found))
		throw new GraphError(404, "itemNotFound", `The content sharing session '${sessionId}' was not found in this call.`);
	const context = `${sessionsContext(request.meta.origin, version, callId)}/$entity`;
	return odataJson(JSON.stringify({ "@odata.context": context, ...versionView(found, version) }));
}

const Session = v.looseObject({ "@odata.type": v.literal("#microsoft.graph.contentSharingSession"), id: v.string() });
const doc = (summary: string, responses: RouteDoc["responses"]): RouteDoc => ({
	summary,
	tag: "Graph: calls",
	responses,
});

/** The rows of the route table for one call collection (`/:version/communications/calls` or `/app/calls`). */
export function contentSharingRows(calls: string): Route[] {
	const sessions = `${calls}/:callId/contentSharingSessions`;
	return [
		{
			method: "GET",
			path: sessions,
			handler: listSessions,
			doc: doc("List the call's content sharing sessions (the screen shares of its meeting)", {
				200: {
					description: "The sessions under way.",
					json: v.strictObject({ "@odata.context": v.string(), value: v.array(Session) }),
				},
			}),
		},
		{
			method: "GET",
			path: `${sessions}/:sessionId`,
			handler: getSession,
			doc: doc("Get a content sharing session", { 200: { description: "The session.", json: Session } }),
		},
	];
}
