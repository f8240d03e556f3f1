import { callObject } from "../../calls/call-object";
import type { StubRequest } from "../../http/stub-request";
import { stubCallPath } from "../../schema/path-params";
import { socketNamespace, switched } from "./socket-caller";

/** GET /_stub/calls/{callId}/live: the live page's WebSocket to one call's object (the whole timeline, pushed). */
export async function liveTimeline(request: StubRequest, env: Env) {
	const namespace = await socketNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	// A WebSocket upgrade is the one thing a Durable Object takes by fetch rather than RPC.
	return switched(await callObject(env, namespace, callId).fetch(request.url, { headers: { Upgrade: "websocket" } }));
}
