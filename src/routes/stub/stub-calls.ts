import { callerNamespace, callObject, registryObject } from "../../calls/call-object";
import { noContent } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import type { CallSummary } from "../../objects/call-results";
import { stubCallPath } from "../../schema/path-params";

// Tester controls, always scoped to the caller's own namespace.

/** GET /_stub/calls: the caller's calls with their operation count and last activity, newest first. */
export async function listCalls(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const callIds = await registryObject(env, namespace).callIds();
	const summaries = await Promise.all(callIds.map((callId) => callObject(env, namespace, callId).summary()));
	const value = summaries
		.filter((summary): summary is CallSummary => summary !== undefined)
		.sort((a, b) => b.lastActivity.localeCompare(a.lastActivity));
	return Response.json({ value });
}

/** DELETE /_stub/calls/{callId}: the call is gone, its next create is sequence 1. Idempotent. */
export async function resetCall(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	await callObject(env, namespace, callId).reset(); // the object has its registry forget it
	return noContent();
}

/** DELETE /_stub/calls: every call of the caller's namespace is gone. */
export async function resetAllCalls(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const registry = registryObject(env, namespace);
	const callIds = await registry.callIds();
	await Promise.all(callIds.map((callId) => callObject(env, namespace, callId).reset()));
	return noContent({ "x-stub-calls-removed": String(callIds.length) });
}
