import { callerNamespace, callObject, registryObject } from "../../calls/call-object";
import { withContext } from "../../calls/odata-urls";
import { requestFacts } from "../../calls/request-facts";
import { badRequest } from "../../http/graph-error";
import { readJsonObject } from "../../http/read-json-object";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { incomingCall, newCallId, participant } from "../../objects/call/call-document";
import type { CallAction } from "../../objects/call/call-machine";
import { parseFarHangup, parseIncomingCall } from "../../schema/call";
import { stubCallPath } from "../../schema/path-params";
import { versionViewJson } from "../../schema/version-view";
import { settingsOf } from "../../settings/settings";
import { botIdentity } from "./bot-identity";
import { callAnswer } from "./call-answer";
import { callContext, callUrl } from "./call-urls";

// Stub extensions: what the far side of a call does (a caller rings the bot, or hangs up).

/** A JSON body when one is sent; none at all reads as `{}`. */
const optionalBody = async (request: StubRequest, env: Env) =>
	request.headers.has("Content-Type") ? readJsonObject(request, settingsOf(env).maxBodyBytes) : {};

/** POST /_stub/incoming-calls: someone calls the bot; the bot hears `created` (state incoming). */
export async function startIncomingCall(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const body = parseIncomingCall(await optionalBody(request, env), settingsOf(env));
	if (!body.callbackUri && !(await registryObject(env, namespace).getConfig())?.callbackUri)
		throw badRequest(
			"No callbackUri: give one in the request body, or configure the namespace's with PUT /_stub/config.",
		);
	const ids = {
		id: newCallId(),
		myParticipantId: crypto.randomUUID(),
		callChainId: body.callChainId ?? crypto.randomUUID(),
		sourceParticipantId: body.incomingContext?.sourceParticipantId ?? crypto.randomUUID(),
	};
	// callbackUri null: the call object fills in the configured one.
	const document = incomingCall(
		body,
		{ ...ids, callbackUri: body.callbackUri ?? null },
		await botIdentity(request, namespace),
	);
	const participants = [participant(ids.sourceParticipantId, document.source)];
	const version = body.apiVersion ?? "v1.0";
	const object = callObject(env, namespace, ids.id);
	const started = callAnswer(
		await object.startIncomingCall(
			{ document, participants, version },
			body.answerTimeoutMs,
			requestFacts(request, "incomingCall", 201),
		),
	);
	const origin = request.meta.origin;
	return odataJson(withContext(versionViewJson(started, version), callContext(origin, version)), 201, {
		Location: callUrl(origin, version, ids.id),
	});
}

/** POST /_stub/calls/{id}/hangup: the far side leaves; the bot hears `deleted`, terminated (200/5002). */
export async function farHangUp(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	const { resultInfo } = parseFarHangup(await optionalBody(request, env));
	const action: CallAction = { kind: "farHangUp", resultInfo };
	callAnswer(await callObject(env, namespace, callId).callAction(action, requestFacts(request, "farHangUp", 202)));
	return new Response(null, { status: 202 });
}
