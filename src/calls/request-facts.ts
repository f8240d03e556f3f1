import { sentBodyText } from "../http/read-json-object";
import type { StubRequest } from "../http/stub-request";
import { journalBody, redactQuery } from "../objects/requests/journal-body";
import type { CappedBody, RequestFacts } from "../objects/requests/request-facts";
import { handToCall } from "./handed-to-call";

/**
 * What the call's object keeps of this request in its journal: route, method, path, query,
 * client-request-id and the body as read (callbackToken redacted, capped). Never the Authorization header,
 * nor a query's access_token.
 * `okStatus`: what the route answers when the object says yes.
 */
export function requestFacts(
	request: StubRequest,
	route: string,
	okStatus: number,
	extra: { operationId?: string; body?: CappedBody; source?: "bot" | "tester" } = {},
): RequestFacts {
	handToCall(request); // its object journals it, answered or refused: not the namespace's refused journal
	const mark = request.url.indexOf("?");
	const query = mark === -1 ? "" : redactQuery(request.url.slice(mark + 1)); // as sent, no token
	const text = sentBodyText(request);
	const body = extra.body ?? (text === undefined ? undefined : journalBody(text));
	return {
		route,
		source: extra.source ?? (request.meta.path.startsWith("/_stub/") ? "tester" : "bot"),
		method: request.method,
		path: request.meta.path,
		query,
		clientRequestId: request.meta.clientRequestId,
		okStatus,
		...(body ? { body } : {}),
		...(extra.operationId === undefined ? {} : { operationId: extra.operationId }),
	};
}
