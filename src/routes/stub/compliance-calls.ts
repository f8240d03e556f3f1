import { callerNamespace, callObject, registryObject } from "../../calls/call-object";
import { requestFacts } from "../../calls/request-facts";
import { badRequest } from "../../http/graph-error";
import { readJsonObject } from "../../http/read-json-object";
import type { StubRequest } from "../../http/stub-request";
import { meetingObject, meetingObjectName, meetingToken, threadOf } from "../../meetings/meeting-identity";
import { incomingCall, newCallId, participant } from "../../objects/call/call-document";
import type { ComplianceRecord } from "../../objects/meeting/compliance-recording";
import { DEFAULT_MAX_CALLS, DEFAULT_MAX_PARTICIPANTS, type MeetingSettings } from "../../objects/meeting/meeting-store";
import type { MeetingView } from "../../objects/meeting/meeting-view";
import { parseComplianceCall } from "../../schema/compliance-call";
import { meetingPath } from "../../schema/path-params";
import { settingsOf } from "../../settings/settings";
import { botIdentity } from "../graph-calls/bot-identity";
import { callAnswer } from "../graph-calls/call-answer";
import { recorderInvite } from "./compliance-invite";
import { meetingAnswer } from "./stub-meetings";

// Compliance recording (stub extensions): a tester starts a call that a recording policy says must be
// recorded. The observed call is a meeting object of its own (its id is the compliance call's, and
// /_stub/meetings/{id} plays its far side); the recording bot's call rings with the incoming context
// pointing at the observed person, and is linked to it (src/objects/call/recorder-link.ts).

/** Graph's answer window for policy-based recording (call-answer: "5 seconds for policy-based recording"). */
const POLICY_ANSWER_TIMEOUT_MS = 5000;

const complianceUrl = (origin: string, id: string) => `${origin}/_stub/compliance-calls/${encodeURIComponent(id)}`;

/** POST /_stub/compliance-calls: the observed call with its people, and the recording bot rung. */
export async function startComplianceCall(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const settings = settingsOf(env);
	const body = parseComplianceCall(await readJsonObject(request, settings.maxBodyBytes), settings);
	if (!body.callbackUri && !(await registryObject(env, namespace).getConfig())?.callbackUri)
		throw badRequest(
			"No callbackUri: give the recording bot's in the request body, or configure the namespace's with PUT /_stub/config.",
		);
	const kind = body.kind ?? "oneToOne";
	const id = crypto.randomUUID();
	const threadId = threadOf(id);
	const meeting: MeetingSettings = {
		id,
		threadId,
		joinMeetingId: null,
		passcode: null,
		subject: body.subject ?? null,
		organizer: null,
		tenantId: body.tenantId ?? null,
		lobby: { enabled: false, bypass: "everyone", timeoutMs: 900_000 },
		maxParticipants: DEFAULT_MAX_PARTICIPANTS,
		maxCalls: DEFAULT_MAX_CALLS,
		createdBy: "tester",
		createdDateTime: new Date().toISOString(),
	};
	const object = meetingObject(env, namespace, threadId);
	const made = meetingAnswer<MeetingView>(await object.create(meeting, body.participants));
	const observed = made.participants[body.observed];
	if (!observed) throw new Error("the observed person is not in the roster just made");
	const recorderCallId = newCallId();
	const ids = {
		id: recorderCallId,
		myParticipantId: crypto.randomUUID(),
		callChainId: crypto.randomUUID(),
		sourceParticipantId: observed.id,
	};
	const policy = body.policy ?? {};
	const record: ComplianceRecord = {
		kind,
		observedParticipantId: observed.id,
		recorderCallId,
		policy: {
			name: policy.name ?? "Test Policy",
			requiredBeforeCallEstablishment: policy.requiredBeforeCallEstablishment ?? true,
			requiredDuringCall: policy.requiredDuringCall ?? true,
			requiredBeforeMeetingJoin: policy.requiredBeforeMeetingJoin ?? true,
			requiredDuringMeeting: policy.requiredDuringMeeting ?? true,
		},
		answerTimeoutMs: body.answerTimeoutMs ?? POLICY_ANSWER_TIMEOUT_MS,
		recordingTimeoutMs: body.recordingTimeoutMs ?? null,
		state: "establishing",
		recorder: "ringing",
		recordingStatus: null,
		endedReason: null,
		events: [],
	};
	const started = meetingAnswer(await object.compliance({ kind: "start", record }));
	const bot = await botIdentity(request, namespace);
	const invite = recorderInvite(
		{
			observed,
			otherSide: kind === "oneToOne" ? made.participants[1 - body.observed] : undefined,
			observedIsCaller: body.observed === 0,
			recorderParticipantId: ids.myParticipantId,
			token: meetingToken(threadId),
			tenantId: body.tenantId ?? null,
			policyName: record.policy.name,
			requestedModalities: body.requestedModalities,
		},
		bot,
	);
	const document = incomingCall(invite, { ...ids, callbackUri: body.callbackUri ?? null }, bot);
	const rung = await callObject(env, namespace, recorderCallId).startIncomingCall(
		{ document, participants: [participant(observed.id, document.source)], version: body.apiVersion ?? "v1.0" },
		record.answerTimeoutMs,
		requestFacts(request, "incomingCall", 201),
		{ meetingName: meetingObjectName(namespace, threadId), recordingTimeoutMs: record.recordingTimeoutMs },
	);
	if (!rung.ok) await object.remove(); // nothing is left of a compliance call whose recorder could not be rung
	callAnswer(rung);
	return Response.json(started, { status: 201, headers: { Location: complianceUrl(request.meta.origin, id) } });
}

async function complianceOf(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { meetingId } = meetingPath(request.params);
	return meetingObject(env, namespace, threadOf(meetingId));
}

/** GET /_stub/compliance-calls/{id}: the observed call, its recorder and what the policy did. */
export async function getComplianceCall(request: StubRequest, env: Env) {
	return Response.json(meetingAnswer(await (await complianceOf(request, env)).compliance({ kind: "view" })));
}

/** POST /_stub/compliance-calls/{id}/hangup: the observed call ends; the recorder's call ends with it (200/5002). */
export async function hangUpComplianceCall(request: StubRequest, env: Env) {
	return Response.json(meetingAnswer(await (await complianceOf(request, env)).compliance({ kind: "hangUp" })));
}
