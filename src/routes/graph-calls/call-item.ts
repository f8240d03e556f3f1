import { callerNamespace, callObject } from "../../calls/call-object";
import { withContext } from "../../calls/odata-urls";
import { requestFacts } from "../../calls/request-facts";
import { noContent, odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { callPath } from "../../schema/path-params";
import { noOptionsQuery } from "../../schema/query-options";
import { versionViewJson } from "../../schema/version-view";
import { callAnswer } from "./call-answer";
import { callContext } from "./call-urls";

/** GET /communications/calls/{id}: the call; 404 8522 when unknown or ended. */
export async function getCall(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { version, callId } = callPath(request.params);
	noOptionsQuery(request.meta.search, version);
	const json = callAnswer(await callObject(env, namespace, callId).getCall(requestFacts(request, "getCall", 200)));
	return odataJson(withContext(versionViewJson(json, version), callContext(request.meta.origin, version)));
}

/** DELETE /communications/calls/{id}: the bot hangs up; 204, then terminating and terminated. */
export async function hangUp(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = callPath(request.params);
	callAnswer(
		await callObject(env, namespace, callId).callAction({ kind: "hangUp" }, requestFacts(request, "hangUp", 204)),
	);
	return noContent();
}
