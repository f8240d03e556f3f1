import { registryObject } from "../../calls/call-object";
import type { StubRequest } from "../../http/stub-request";
import { socketNamespace, switched } from "./socket-caller";

/**
 * GET /_stub/live: the live page's WebSocket to the namespace's registry, which pushes the calls list's
 * changes (src/objects/registry/calls-live.ts). Authenticated like the call's live socket.
 */
export async function liveCalls(request: StubRequest, env: Env) {
	const namespace = await socketNamespace(request, env);
	return switched(await registryObject(env, namespace).fetch(request.url, { headers: { Upgrade: "websocket" } }));
}
