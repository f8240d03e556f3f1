import { callerNamespace, callObject } from "../../calls/call-object";
import { requestFacts } from "../../calls/request-facts";
import { readJsonObject } from "../../http/read-json-object";
import type { StubRequest } from "../../http/stub-request";
import type { CallAction } from "../../objects/call/call-machine";
import type { ApiVersion } from "../../schema/api-version";
import { parseAnswer, parseRedirect, parseReject, parseTransfer } from "../../schema/call";
import { callPath } from "../../schema/path-params";
import type { CallbackPolicy } from "../../schema/stub-config";
import { settingsOf } from "../../settings/settings";
import { callAnswer } from "./call-answer";

type Body = Record<string, unknown>;

type CallActionDescription = {
	status: 200 | 202;
	body: boolean;
	toAction: (version: ApiVersion, body: Body, policy: CallbackPolicy) => CallAction;
};

/**
 * The actions on the call itself, table-driven: how each reads its body and what Graph answers.
 * (The media and participant actions, which create operations, are described elsewhere.)
 */
export const CALL_ACTIONS: Record<string, CallActionDescription> = {
	answer: {
		status: 202,
		body: true,
		toAction: (version, body, policy) => {
			const answer = parseAnswer(version, body, policy);
			return {
				kind: "answer",
				callbackUri: answer.callbackUri,
				mediaConfig: answer.mediaConfig,
				acceptedModalities: answer.acceptedModalities ?? null,
				callOptions: answer.callOptions ?? null,
				version,
			};
		},
	},
	reject: {
		status: 202,
		body: true,
		toAction: (_, body, policy) => ({ kind: "reject", callbackUri: parseReject(body, policy).callbackUri ?? null }),
	},
	redirect: {
		status: 202,
		body: true,
		toAction: (_, body, policy) => ({
			kind: "redirect",
			callbackUri: parseRedirect(body, policy).callbackUri ?? null,
		}),
	},
	transfer: {
		status: 202,
		body: true,
		toAction: (_, body) => {
			parseTransfer(body);
			return { kind: "transfer" };
		},
	},
	keepAlive: { status: 200, body: false, toAction: () => ({ kind: "keepAlive" }) },
};

/** POST …/calls/{id}/{action} (also `microsoft.graph.{action}` and under /app/calls): no body in the answer. */
export const callActionHandler = (description: CallActionDescription) => async (request: StubRequest, env: Env) => {
	const namespace = await callerNamespace(request, env);
	const { version, callId } = callPath(request.params);
	const settings = settingsOf(env);
	const body = description.body ? await readJsonObject(request, settings.maxBodyBytes) : {};
	const action = description.toAction(version, body, settings);
	callAnswer(
		await callObject(env, namespace, callId).callAction(action, requestFacts(request, action.kind, description.status)),
	);
	return new Response(null, { status: description.status });
};
