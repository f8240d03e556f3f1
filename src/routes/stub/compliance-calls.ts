import { callerNamespace, callObject, registryObject } from "../../calls/call-object";
import { requestFacts } from "../../calls/request-facts";
import { badRequest } from "../../http/graph-error";
import { readJsonObject } from "../../http/read-json-object";
import type { StubRequest } from "../../http/stub-request";
import { meetingIdOf, meetingObject, meetingObjectName, meetingToken, threadOf } from "../../meetings/meeting-identity";
import type { Participant } from "../../meetings/participant-shape";
import { incomingCall, newCallId, participant } from "../../objects/call/call-document";
import type { ComplianceRecord } from "../../objects/meeting/compliance-record";
import type { MeetingOutcome } from "../../objects/meeting/meeting-outcome";
import { DEFAULT_LOBBY_TIMEOUT_MS, newMeetingSettings } from "../../objects/meeting/meeting-store";
import type { MeetingView } from "../../objects/meeting/meeting-view";
import { type ComplianceCallBody, parseComplianceCall } from "../../schema/compliance-call";
import { meetingPath } from "../../schema/path-params";
import { fieldIssue, invalid } from "../../schema/validation-error";
import { settingsOf } from "../../settings/settings";
import { botIdentity } from "../graph-calls/bot-identity";
import { callAnswer } from "../graph-calls/call-answer";
import { recorderInvite } from "./compliance-invite";
import { existingMeeting, meetingAnswer } from "./stub-meetings";

// Compliance recording (stub extensions): a tester starts a call that a recording policy says must be
// recorded. The observed call is a meeting object of its own (its id is the compliance call's, and
// /_stub/meetings/{id} plays its far side); the recording bot's call rings with the incoming context
// pointing at the observed person, and is linked to it (src/objects/call/recorder-link.ts).

/** Graph's answer window for policy-based recording (call-answer: "5 seconds for policy-based recording"). */
const POLICY_ANSWER_TIMEOUT_MS = 5000;

const complianceUrl = (origin: string, id: string) => `${origin}/_stub/compliance-calls/${encodeURIComponent(id)}`;

type Observed = {
	object: ReturnType<typeof meetingObject>;
	id: string;
	threadId: string;
	kind: "oneToOne" | "meeting";
	observed: Participant;
	otherSide: Participant | undefined;
	observedIsCaller: boolean;
	/** Made for this compliance call (else a meeting the tester made before). */
	made: boolean;
};

/** The observed call: a new one of the body's people, or the tester's meeting named by `meeting`. */
async function observedCall(
	env: Env,
	namespace: string,
	body: ComplianceCallBody & { observed: number },
): Promise<Observed> {
	if (body.meeting !== undefined) {
		const threadId = threadOf(body.meeting);
		const object = await existingMeeting(env, namespace, body.meeting);
		// The RPC stub's type of the participant is lost to its open type: the outcome is plain data.
		const found = (await object.participant(String(body.observedKey))) as MeetingOutcome<Participant>;
		if (!found.ok)
			throw invalid("request body", [
				fieldIssue("observedKey", `no one in meeting '${body.meeting}' has the key or id '${body.observedKey}'`),
			]);
		const observed = found.value;
		const common = { object, threadId, kind: "meeting" as const, otherSide: undefined, observedIsCaller: true };
		return { ...common, id: meetingIdOf(threadId), observed, made: false };
	}
	const kind = body.kind ?? "oneToOne";
	const id = crypto.randomUUID();
	const threadId = threadOf(id);
	const meeting = newMeetingSettings({
		id,
		threadId,
		createdBy: "tester",
		subject: body.subject ?? null,
		tenantId: body.tenantId ?? null,
		lobby: { enabled: false, bypass: "everyone", timeoutMs: DEFAULT_LOBBY_TIMEOUT_MS },
	});
	const object = meetingObject(env, namespace, threadId);
	const made = meetingAnswer<MeetingView>(await object.create(meeting, body.participants ?? []));
	const observed = made.participants[body.observed];
	if (!observed) throw new Error("the observed person is not in the roster just made");
	const otherSide = kind === "oneToOne" ? made.participants[1 - body.observed] : undefined;
	return { object, id, threadId, kind, observed, otherSide, observedIsCaller: body.observed === 0, made: true };
}

/** POST /_stub/compliance-calls: the observed call with its people (or the tester's meeting), and the recording bot rung. */
export async function startComplianceCall(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const settings = settingsOf(env);
	const body = parseComplianceCall(await readJsonObject(request, settings.maxBodyBytes), settings);
	if (!body.callbackUri && !(await registryObject(env, namespace).getConfig())?.callbackUri)
		throw badRequest(
			"No callbackUri: give the recording bot's in the request body, or configure the namespace's with PUT /_stub/config.",
		);
	const { object, id, threadId, kind, observed, otherSide, observedIsCaller, made } = await observedCall(
		env,
		namespace,
		body,
	);
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
			otherSide,
			observedIsCaller,
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
	// A recorder that could not be rung: nothing is left of a new observed call; a tester's meeting stays, and
	// its recording policy acts as for a recorder that did not join.
	if (!rung.ok) await (made ? object.remove() : object.callLeft(recorderCallId));
	callAnswer(rung);
	return Response.json(started, { status: 201, headers: { Location: complianceUrl(request.meta.origin, id) } });
}

async function complianceOf(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { meetingId } = meetingPath(request.params);
	return existingMeeting(env, namespace, meetingId);
}

/** GET /_stub/compliance-calls/{id}: the observed call, its recorder and what the policy did. */
export async function getComplianceCall(request: StubRequest, env: Env) {
	return Response.json(meetingAnswer(await (await complianceOf(request, env)).compliance({ kind: "view" })));
}

/** POST /_stub/compliance-calls/{id}/hangup: the observed call ends; the recorder's call ends with it (200/5002). */
export async function hangUpComplianceCall(request: StubRequest, env: Env) {
	return Response.json(meetingAnswer(await (await complianceOf(request, env)).compliance({ kind: "hangUp" })));
}
