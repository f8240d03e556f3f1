import { callerNamespace, callObject } from "../../calls/call-object";
import { withContext } from "../../calls/odata-urls";
import { requestFacts } from "../../calls/request-facts";
import { readJsonObject } from "../../http/read-json-object";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { asParticipantInfo, newCallId, outgoingCall, participant } from "../../objects/call/call-document";
import { parseNewCall } from "../../schema/call";
import { apiVersion } from "../../schema/path-params";
import { versionViewJson } from "../../schema/version-view";
import { settingsOf } from "../../settings/settings";
import { botIdentity } from "./bot-identity";
import { callAnswer } from "./call-answer";
import { callUrl, createdCallContext } from "./call-urls";
import { joinMeeting } from "./meeting-join";

/** POST /communications/calls: a new call, `establishing`; its object is created by the new id. */
export async function createCall(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const version = apiVersion(request.params);
	const settings = settingsOf(env);
	const body = parseNewCall(version, await readJsonObject(request, settings.maxBodyBytes), settings);
	const ids = { id: newCallId(), myParticipantId: crypto.randomUUID(), callChainId: crypto.randomUUID() };
	const document = outgoingCall(body, ids, await botIdentity(request, namespace));
	const participants = [
		participant(ids.myParticipantId, document.source),
		...(body.targets ?? []).map((target) => participant(crypto.randomUUID(), asParticipantInfo(target))),
	];
	const bot = { id: ids.myParticipantId, source: document.source as Record<string, unknown> };
	const meeting = body.meetingInfo ? await joinMeeting(env, namespace, body, ids.id, bot) : undefined;
	if (meeting?.chatInfo) document.chatInfo = meeting.chatInfo;
	const created = callAnswer(
		await callObject(env, namespace, ids.id).createCall(
			{ document, participants, version },
			requestFacts(request, "createCall", 201),
			meeting?.join,
		),
	);
	await meeting?.ready();
	const origin = request.meta.origin;
	return odataJson(withContext(versionViewJson(created, version), createdCallContext(origin, version)), 201, {
		Location: callUrl(origin, version, ids.id),
	});
}
