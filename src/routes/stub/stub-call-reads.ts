import { callerNamespace, callObject, callObjectName } from "../../calls/call-object";
import { decodeSkipToken, encodeSkipToken } from "../../calls/skip-token";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { refused } from "../../objects/call/call-outcome";
import { stubCallPath } from "../../schema/path-params";
import { listQuery } from "../../schema/query-options";
import { callAnswer } from "../graph-calls/call-answer";

// A tester's reads of a call and its operations: the same documents the bot reads from Graph's routes,
// read through the call object's tester path (after every earlier request, like the request journal) —
// never screened by a fault plan, never counted for Retry-After, never journaled. So a test can watch
// the call while the bot is inside a Retry-After window without being taken for the bot.

const notFound = () => callAnswer(refused<never>("callNotFound"));

/** GET /_stub/calls/{callId}/operations: one page in sequence order, `@odata.nextLink` while more remain. */
export async function testerOperations(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	const { top, skipToken } = listQuery(request.meta.search, "beta");
	const callKey = callObjectName(namespace, callId);
	const afterSeq = skipToken === undefined ? 0 : await decodeSkipToken(callKey, skipToken);
	const page = await callObject(env, namespace, callId).testerOperations(afterSeq, top);
	if (!page) return notFound();
	const parts = [`"value":[${page.items.map((item) => item.json).join(",")}]`];
	const last = page.items.at(-1);
	if (page.hasMore && last) {
		const token = await encodeSkipToken(callKey, last.seq);
		const link = `${request.meta.origin}/_stub/calls/${encodeURIComponent(callId)}/operations?$top=${top}&$skiptoken=${token}`;
		parts.push(`"@odata.nextLink":${JSON.stringify(link)}`);
	}
	return odataJson(`{${parts.join(",")}}`);
}

/** GET /_stub/calls/{callId}: the call resource as stored, an ended (`terminated`) call included. */
export async function testerCall(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	const body = await callObject(env, namespace, callId).testerCall();
	return body === undefined ? notFound() : odataJson(body);
}
