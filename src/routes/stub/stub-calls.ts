import { callerNamespace, callObject, registryObject } from "../../calls/call-object";
import { noContent } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import type { CallSummary } from "../../objects/call-results";
import { stubCallPath } from "../../schema/path-params";
import { callsQuery } from "../../schema/query-options";
import { refusedWritten } from "../refused-batch";
import { listPage, pageStart } from "./registry-list";

// Tester controls, always scoped to the caller's own namespace.

/** What binds a `$skiptoken` of /_stub/calls to the namespace (a call's key is a pair: the two never meet). */
const listKey = (namespace: string) => JSON.stringify([namespace]);

/**
 * GET /_stub/calls: one page of the caller's calls, newest first (the order they began), each with its
 * operation count and last activity; `@odata.nextLink` while more remain. A page costs its own size.
 */
export async function listCalls(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { top, skipToken } = callsQuery(request.meta.search);
	const key = listKey(namespace);
	const page = await registryObject(env, namespace).callPage(await pageStart(key, skipToken), top);
	const summaries = await Promise.all(page.calls.map(({ callId }) => callObject(env, namespace, callId).summary()));
	const value = summaries.filter((summary): summary is CallSummary => summary !== undefined);
	return listPage(request, { key, path: "/_stub/calls", top }, { ...page, lastSeq: page.calls.at(-1)?.seq }, value);
}

/** DELETE /_stub/calls/{callId}: the call is gone, its next create is sequence 1. Idempotent. */
export async function resetCall(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	await callObject(env, namespace, callId).reset(); // the object has its registry forget it
	return noContent();
}

/**
 * DELETE /_stub/calls: every call of the caller's namespace is gone. The registry removes them in bounded
 * steps, driven from here to the end (if this request is cut off, its alarm finishes them).
 */
export async function resetAllCalls(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	await refusedWritten(namespace); // refused before the reset: gone with it, not written after it
	const registry = registryObject(env, namespace);
	const removed = await registry.resetAll(namespace);
	while (!(await registry.advance("reset"))) {}
	return noContent({ "x-stub-calls-removed": String(removed) });
}
