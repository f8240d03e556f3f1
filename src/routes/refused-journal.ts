import { callerNamespace } from "../calls/call-object";
import { handedToCall } from "../calls/handed-to-call";
import { requestFacts } from "../calls/request-facts";
import { toErrorResponse } from "../http/error-response";
import { GraphError } from "../http/graph-error";
import type { StubRequest } from "../http/stub-request";
import type { Decided } from "../objects/requests/journal-answer";
import { queueRefused } from "./refused-batch";

// Requests the Worker refuses before any call's object sees them (a path, query or body that fails
// validation, an unknown route, a method a path lacks, a body too large) are kept in the namespace's own
// request journal, in its registry, so that GET /_stub/requests shows them beside the calls' entries
// (docs/contract.md, "The request journal"). Only where a namespace is known: a 401 names none (the
// token is what names it), so it is never kept anywhere. Only the bot's side: a refused /_stub control is
// the tester's own request, answered to the tester.

/** The refusal each request was answered with (set by the router's catch). */
const refusals = new WeakMap<Request, GraphError>();

/** The router's `catch`: Graph's error envelope, the refusal noted for the journal stage. */
export function refusedResponse(thrown: unknown, request: StubRequest): Response {
	if (thrown instanceof GraphError) refusals.set(request, thrown);
	return toErrorResponse(thrown, request);
}

/** The route name every refused entry carries (the request never reached a route's object). */
const REFUSED_ROUTE = "refused";

/**
 * The router's first `finally` stage: a refused request that no call's object saw goes to its namespace's
 * journal, in this isolate's next batch (refused-batch.ts: a read of the journal waits for it).
 */
export async function journalRefused(
	response: Response,
	request: StubRequest,
	env: Env,
	ctx: ExecutionContext,
): Promise<undefined> {
	const refusal = refusals.get(request);
	if (!refusal || refusal.status === 401 || handedToCall(request) || request.meta.path.startsWith("/_stub/")) return;
	let namespace: string;
	try {
		namespace = await callerNamespace(request, env);
	} catch {
		return; // no namespace: nowhere to keep it
	}
	const answered: Decided = {
		ok: false,
		error: "decided",
		outcome: refusal.code,
		status: response.status,
		code: refusal.code,
		message: refusal.message,
		details: refusal.details,
	};
	const facts = requestFacts(request, REFUSED_ROUTE, response.status, { source: "bot" });
	queueRefused(env, ctx, namespace, { facts, answered, at: new Date().toISOString() });
}
