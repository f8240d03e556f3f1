import { answer, callerNamespace, callObject } from "../../calls/call-object";
import { entityContext, withContext } from "../../calls/odata-urls";
import { requestFacts } from "../../calls/request-facts";
import { readJsonObject } from "../../http/read-json-object";
import { noContent, odataJson, plainText } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import type { ApiVersion } from "../../schema/api-version";
import { callPath, operationPath } from "../../schema/path-params";
import { noOptionsQuery } from "../../schema/query-options";
import { versionViewJson } from "../../schema/version-view";
import { settingsOf } from "../../settings/settings";

// itty-router reads `$` in a route pattern as a regex anchor, so `/operations/$count` arrives here
// as an operation id.
const COUNT_SEGMENT = "$count";

/** GET …/operations/{id} (and …/operations/$count). */
export async function getOperation(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	if (request.params.operationId === COUNT_SEGMENT) return countOperations(request, env, namespace);
	const { version, callId, operationId } = operationPath(request.params);
	noOptionsQuery(request.meta.search, version);
	const found = await answer(
		await callObject(env, namespace, callId).getOperation(
			operationId,
			requestFacts(request, "getOperation", 200, { operationId }),
		),
		operationId,
	);
	return entityResponse(request, version, callId, found);
}

async function countOperations(request: StubRequest, env: Env, namespace: string) {
	const { version, callId } = callPath(request.params);
	noOptionsQuery(request.meta.search, version);
	return plainText(
		String(
			await answer(
				await callObject(env, namespace, callId).countOperations(requestFacts(request, "countOperations", 200)),
			),
		),
	);
}

/** PATCH …/operations/{id}: a partial body, validated by the call's object against the operation's own type. */
export async function patchOperation(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { version, callId, operationId } = operationPath(request.params);
	const body = await readJsonObject(request, settingsOf(env).maxBodyBytes);
	const outcome = await callObject(env, namespace, callId).patchOperation(
		operationId,
		version,
		body,
		requestFacts(request, "patchOperation", 200, { operationId }),
	);
	return entityResponse(request, version, callId, await answer(outcome, operationId));
}

/** DELETE …/operations/{id}: 204; the sequence number is never handed out again. */
export async function deleteOperation(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId, operationId } = operationPath(request.params);
	const seq = await answer(
		await callObject(env, namespace, callId).deleteOperation(
			operationId,
			requestFacts(request, "deleteOperation", 204, { operationId }),
		),
		operationId,
	);
	return noContent({ "x-stub-sequence": String(seq) });
}

function entityResponse(
	request: StubRequest,
	version: ApiVersion,
	callId: string,
	operation: { seq: number; json: string },
) {
	const body = withContext(
		versionViewJson(operation.json, version),
		entityContext(request.meta.origin, version, callId),
	);
	return odataJson(body, 200, {
		"x-stub-sequence": String(operation.seq),
	});
}
