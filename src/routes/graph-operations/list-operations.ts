import { answer, callerNamespace, callObject, callObjectName } from "../../calls/call-object";
import { collectionContext, operationsPath } from "../../calls/odata-urls";
import { requestFacts } from "../../calls/request-facts";
import { decodeSkipToken, encodeSkipToken } from "../../calls/skip-token";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { callPath } from "../../schema/path-params";
import { listQuery } from "../../schema/query-options";
import { versionViewJson } from "../../schema/version-view";

/** GET …/operations: one page in sequence order, `@odata.nextLink` while more remain. */
export async function listOperations(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { version, callId } = callPath(request.params);
	const { top, withCount, skipToken } = listQuery(request.meta.search, version);
	const callKey = callObjectName(namespace, callId);
	const afterSeq = skipToken === undefined ? 0 : await decodeSkipToken(callKey, skipToken);
	const facts = requestFacts(request, "listOperations", 200);
	const page = await answer(await callObject(env, namespace, callId).listOperations(afterSeq, top, withCount, facts));

	const origin = request.meta.origin;
	const parts = [`"@odata.context":${JSON.stringify(collectionContext(origin, version, callId))}`];
	if (page.count !== undefined) parts.push(`"@odata.count":${page.count}`);
	parts.push(`"value":[${page.items.map((item) => versionViewJson(item.json, version)).join(",")}]`);
	const last = page.items.at(-1);
	if (page.hasMore && last) {
		// Literal `$` as Graph writes it (URLSearchParams would escape it); the token is base64url already.
		const token = await encodeSkipToken(callKey, last.seq);
		const query = `$top=${top}${withCount ? "&$count=true" : ""}&$skiptoken=${token}`;
		parts.push(`"@odata.nextLink":${JSON.stringify(`${origin}${operationsPath(version, callId)}?${query}`)}`);
	}
	return odataJson(`{${parts.join(",")}}`, 200, { "x-stub-rows-read": String(page.rowsRead) });
}
