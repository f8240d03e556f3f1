import { queryTokenAuthorization } from "../../auth/query-token";
import { callerNamespace, callObject } from "../../calls/call-object";
import { GraphError } from "../../http/graph-error";
import type { StubRequest } from "../../http/stub-request";
import { stubCallPath } from "../../schema/path-params";

// GET /_stub/calls/{callId}/live: the live page's WebSocket to one call's object. A browser cannot set
// Authorization on a WebSocket, so the token may come as `access_token` in the query (the common
// pattern for browser WebSockets); it names the namespace exactly as the bearer header would.

const UPGRADE_REQUIRED = () => new GraphError(426, "UpgradeRequired", "Connect to this resource with a WebSocket.");

export async function liveTimeline(request: StubRequest, env: Env) {
	const queryToken = request.meta.search.get("access_token");
	const authenticated =
		queryToken && !request.headers.has("Authorization")
			? new Request(request.url, { headers: { Authorization: queryTokenAuthorization(queryToken) } })
			: request;
	const namespace = await callerNamespace(authenticated, env);
	const { callId } = stubCallPath(request.params);
	if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") throw UPGRADE_REQUIRED();
	// A WebSocket upgrade is the one thing a Durable Object takes by fetch rather than RPC.
	const upgraded = await callObject(env, namespace, callId).fetch(request.url, { headers: { Upgrade: "websocket" } });
	// The runtime's response has immutable headers; the router's `finally` stage adds Graph's.
	return new Response(null, { status: upgraded.status, webSocket: upgraded.webSocket });
}
