import { queryTokenAuthorization } from "../../auth/query-token";
import { callerNamespace } from "../../calls/call-object";
import { GraphError } from "../../http/graph-error";
import type { StubRequest } from "../../http/stub-request";

// The live page's WebSockets. A browser cannot set Authorization on a WebSocket, so the token may come
// as `access_token` in the query (the common pattern for browser WebSockets); it names the namespace
// exactly as the bearer header would, and one no header could carry is 401 like any bad token.

const UPGRADE_REQUIRED = () => new GraphError(426, "UpgradeRequired", "Connect to this resource with a WebSocket.");

/** The namespace of a WebSocket's caller (401 as for any request), then 426 unless it asks for an upgrade. */
export async function socketNamespace(request: StubRequest, env: Env): Promise<string> {
	const queryToken = request.meta.search.get("access_token");
	const authenticated =
		queryToken && !request.headers.has("Authorization")
			? new Request(request.url, { headers: { Authorization: queryTokenAuthorization(queryToken) } })
			: request;
	const namespace = await callerNamespace(authenticated, env);
	if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") throw UPGRADE_REQUIRED();
	return namespace;
}

/** A Durable Object's 101 passed on (the runtime's response has immutable headers; the router adds Graph's). */
export const switched = (upgraded: Response) =>
	new Response(null, { status: upgraded.status, webSocket: upgraded.webSocket });
