import { answer, callerNamespace, callObject } from "../../calls/call-object";
import { entityContext, operationPath, withContext } from "../../calls/odata-urls";
import { requestFacts } from "../../calls/request-facts";
import { readJsonObject } from "../../http/read-json-object";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { serialiseProperties } from "../../objects/operations/operation-document";
import { parseOperation } from "../../schema/comms-operation";
import { callPath } from "../../schema/path-params";
import { versionViewJson } from "../../schema/version-view";
import { settingsOf } from "../../settings/settings";

/** POST …/calls/{callId}/operations: the seed's endpoint. */
export async function createOperation(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { version, callId } = callPath(request.params);
	const body = await readJsonObject(request, settingsOf(env).maxBodyBytes);
	const draft = parseOperation(version, body, "create");
	const id = draft.id ?? crypto.randomUUID();
	const operation = { typeName: draft.typeName, id, propertiesJson: serialiseProperties(draft.entries) };
	const outcome = await callObject(env, namespace, callId).createOperation(
		operation,
		version,
		requestFacts(request, "createOperation", 201, { operationId: id }),
	);
	const created = await answer(outcome, id);
	const context = entityContext(request.meta.origin, version, callId);
	return odataJson(withContext(versionViewJson(created.json, version), context), 201, {
		Location: `${request.meta.origin}${operationPath(version, callId, id)}`,
		"x-stub-sequence": String(created.seq),
		"x-stub-rows-written": String(outcome.rowsWritten ?? 0),
	});
}
