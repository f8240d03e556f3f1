import { callerNamespace, callObject } from "../../calls/call-object";
import { requestFacts } from "../../calls/request-facts";
import { noContent, odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { callPath, participantPath } from "../../schema/path-params";
import { versionView } from "../../schema/version-view";
import { callAnswer } from "./call-answer";

// GET …/calls/{id}/participants, GET and DELETE …/participants/{pid}.

const participantsContext = (origin: string, version: string, callId: string) =>
	`${origin}/${version}/$metadata#communications/calls('${encodeURIComponent(callId)}')/participants`;

export async function listParticipants(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { version, callId } = callPath(request.params);
	const value = versionView(
		callAnswer(await callObject(env, namespace, callId).participants(requestFacts(request, "listParticipants", 200))),
		version,
	);
	const context = participantsContext(request.meta.origin, version, callId);
	return odataJson(JSON.stringify({ "@odata.context": context, value }));
}

export async function getParticipant(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { version, callId, participantId } = participantPath(request.params);
	const found = versionView(
		callAnswer(
			await callObject(env, namespace, callId).participant(participantId, requestFacts(request, "getParticipant", 200)),
		),
		version,
	);
	const context = `${participantsContext(request.meta.origin, version, callId)}/$entity`;
	return odataJson(JSON.stringify({ "@odata.context": context, ...(found as Record<string, unknown>) }));
}

/** DELETE …/participants/{pid}: 204, then a roster notification without them. */
export async function deleteParticipant(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId, participantId } = participantPath(request.params);
	callAnswer(
		await callObject(env, namespace, callId).removeParticipant(
			participantId,
			requestFacts(request, "deleteParticipant", 204),
		),
	);
	return noContent();
}
