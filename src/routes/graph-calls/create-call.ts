import { callerNamespace, callObject } from "../../calls/call-object";
import { readJsonObject } from "../../http/read-json-object";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { newCallId, outgoingCall, participant } from "../../objects/call/call-document";
import { parseNewCall } from "../../schema/call";
import { apiVersion } from "../../schema/path-params";
import { botIdentity } from "./bot-identity";
import { callAnswer } from "./call-answer";
import { callUrl, createdCallContext, withCallContext } from "./call-urls";

/** POST /communications/calls: a new call, `establishing`; its object is created by the new id. */
export async function createCall(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const version = apiVersion(request.params);
	const body = parseNewCall(version, await readJsonObject(request, Number(env.MAX_BODY_BYTES)));
	const ids = { id: newCallId(), myParticipantId: crypto.randomUUID(), callChainId: crypto.randomUUID() };
	const document = outgoingCall(body, ids, botIdentity(namespace));
	const participants = [
		participant(ids.myParticipantId, document.source),
		...(body.targets ?? []).map((target) => participant(crypto.randomUUID(), target)),
	];
	const call = { namespace, callId: ids.id };
	const created = callAnswer(await callObject(env, namespace, ids.id).createCall(call, document, participants));
	const origin = request.meta.origin;
	return odataJson(withCallContext(created, createdCallContext(origin, version)), 201, {
		Location: callUrl(origin, version, ids.id),
	});
}
