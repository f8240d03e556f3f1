import type * as v from "valibot";
import { callerNamespace, callObject } from "../../calls/call-object";
import { operationPath } from "../../calls/odata-urls";
import { requestFacts } from "../../calls/request-facts";
import { injectedFault } from "../../http/graph-error";
import { readJsonObject } from "../../http/read-json-object";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import type { BotAction } from "../../meetings/bot-action";
import type { ActionRequest, Effect, Finish } from "../../objects/media/action-request";
import { type ActionBodies, actionBodySchema } from "../../schema/action-bodies";
import type { ApiVersion } from "../../schema/api-version";
import type { ActionRoute } from "../../schema/fault-plan";
import { callPath, participantPath } from "../../schema/path-params";
import { keyOf } from "../../schema/tone-names";
import { parsedOrInvalid } from "../../schema/validation-error";
import { versionViewJson } from "../../schema/version-view";
import { settingsOf } from "../../settings/settings";
import { notFound } from "../fallbacks";
import { callAnswer } from "./call-answer";
import { recordingUrl } from "./recording-urls";

type Body<N extends ActionRoute> = v.InferOutput<ActionBodies[N]>;

/**
 * One action that makes an operation (or, for changeScreenSharingRole, none): where it lives, on which
 * versions, the operation type and status its answer carries, its HTTP code, how it finishes and what it
 * changes. Adding an action is adding a row (and its body schema in src/schema/action-bodies.ts).
 */
type ActionDescription<N extends ActionRoute> = {
	/** Under …/calls/{id}/: `playPrompt`, `participants/invite`, `participants/:participantId/mute`. */
	path: string;
	versions: readonly ApiVersion[];
	operationType: string | null;
	/** The status the synchronous answer (and the stored operation) carries; the docs' casing. */
	status: "running" | "completed" | "Running";
	http: 200 | 202;
	serviceHostedOnly?: boolean;
	/**
	 * Properties the stored operation carries besides status and clientContext (echoes, nulls Graph shows);
	 * each answer and notification shows those its version declares (src/schema/version-view.ts).
	 */
	extra?: (body: Body<N>) => Record<string, unknown>;
	finish: (body: Body<N>) => Finish;
	effect?: (body: Body<N>) => Effect;
	/**
	 * On a meeting call, the change the meeting makes instead of `effect` (in the meeting's order, seen in
	 * every joined call's roster); `meetingOnly`: the action needs a meeting (refused on any other call).
	 */
	meeting?: (body: Body<N>, participantId: string) => BotAction;
	meetingOnly?: true;
};

const BOTH = ["v1.0", "beta"] as const;
const BETA = ["beta"] as const;
const NONE: Finish = { kind: "none" };
const AFTER: Finish = { kind: "after" };
/** What beta's lobby and mute-all actions share: only on a meeting call, answered at once, completed. */
const BETA_MEETING_ACTION = {
	versions: BETA,
	status: "completed",
	http: 200,
	finish: () => NONE,
	meetingOnly: true,
} as const;

export const OPERATION_ACTIONS: { [N in ActionRoute]: ActionDescription<N> } = {
	playPrompt: {
		path: "playPrompt",
		versions: BOTH,
		operationType: "playPromptOperation",
		status: "running",
		http: 200,
		serviceHostedOnly: true,
		finish: (body) => ({ kind: "prompts", count: body.prompts.length, loop: "loop" in body && body.loop === true }),
	},
	recordResponse: {
		path: "recordResponse",
		versions: BOTH,
		operationType: "recordOperation",
		status: "running",
		http: 200,
		serviceHostedOnly: true,
		extra: () => ({ resultInfo: null, recordingLocation: null, completionReason: null }),
		finish: (body) => ({
			kind: "record",
			promptCount: body.prompts?.length ?? 0,
			maxRecordMs: (body.maxRecordDurationInSeconds ?? 5) * 1000,
			stopTones: (body.stopTones ?? []).map((tone) => keyOf(tone) ?? tone), // `pound` stops like `#`
			bargeIn: body.bargeInAllowed === true,
		}),
	},
	cancelMediaProcessing: {
		path: "cancelMediaProcessing",
		versions: BOTH,
		operationType: "cancelMediaProcessingOperation",
		status: "completed",
		http: 200,
		finish: () => NONE,
		effect: () => ({ kind: "cancelMedia" }),
	},
	subscribeToTone: {
		path: "subscribeToTone",
		versions: BOTH,
		operationType: "subscribeToToneOperation",
		status: "completed",
		http: 200,
		serviceHostedOnly: true,
		finish: () => NONE,
		effect: () => ({ kind: "subscribeToTone" }),
	},
	sendDtmfTones: {
		path: "sendDtmfTones",
		versions: BOTH,
		operationType: "sendDtmfTonesOperation",
		status: "running",
		http: 200,
		finish: () => ({ kind: "after", completionReason: "completedSuccessfully" }),
	},
	updateRecordingStatus: {
		path: "updateRecordingStatus",
		versions: BOTH,
		operationType: "updateRecordingStatusOperation",
		status: "completed",
		http: 200,
		extra: () => ({ resultInfo: null }),
		finish: () => NONE,
		effect: (body) => ({ kind: "recordingStatus", status: body.status }),
		meeting: (body) => ({ kind: "recordingStatus", status: body.status }),
	},
	mute: {
		path: "mute",
		versions: BOTH,
		operationType: "muteParticipantOperation",
		status: "completed",
		http: 200,
		finish: () => NONE,
		effect: () => ({ kind: "muteSelf", muted: true }),
		meeting: () => ({ kind: "muteSelf", muted: true }),
	},
	unmute: {
		path: "unmute",
		versions: BOTH,
		operationType: "unmuteParticipantOperation",
		status: "completed",
		http: 200,
		finish: () => NONE,
		effect: () => ({ kind: "muteSelf", muted: false }),
		meeting: () => ({ kind: "muteSelf", muted: false }),
	},
	changeScreenSharingRole: {
		path: "changeScreenSharingRole",
		versions: BOTH,
		operationType: null,
		status: "completed",
		http: 202,
		finish: () => NONE,
		effect: (body) => ({ kind: "screenSharing", role: body.role }),
	},
	addLargeGalleryView: {
		path: "addLargeGalleryView",
		versions: BOTH,
		operationType: "addLargeGalleryViewOperation",
		status: "running",
		http: 202,
		extra: () => ({ resultInfo: null }),
		finish: () => AFTER,
	},
	invite: {
		path: "participants/invite",
		versions: BOTH,
		operationType: "inviteParticipantsOperation",
		status: "Running",
		http: 200,
		extra: (body) => ({ resultInfo: null, participants: body.participants }),
		finish: (body) => ({ kind: "after", invitees: body.participants }),
	},
	participantMute: {
		path: "participants/:participantId/mute",
		versions: BOTH,
		operationType: "muteParticipantOperation",
		status: "completed",
		http: 200,
		finish: () => NONE,
		effect: () => ({ kind: "muteParticipant" }),
		meeting: (_, participantId) => ({ kind: "muteAll", participantIds: [participantId] }),
	},
	startHoldMusic: {
		path: "participants/:participantId/startHoldMusic",
		versions: BOTH,
		operationType: "startHoldMusicOperation",
		status: "running",
		http: 202,
		finish: () => AFTER,
		meeting: (_, participantId) => ({ kind: "hold", participantId, on: true }),
	},
	stopHoldMusic: {
		path: "participants/:participantId/stopHoldMusic",
		versions: BOTH,
		operationType: "stopHoldMusicOperation",
		status: "running",
		http: 202,
		finish: () => AFTER,
		meeting: (_, participantId) => ({ kind: "hold", participantId, on: false }),
	},
	startRecording: {
		path: "startRecording",
		versions: BETA,
		operationType: "startRecordingOperation",
		status: "running",
		http: 202,
		finish: () => AFTER,
	},
	stopRecording: {
		path: "stopRecording",
		versions: BETA,
		operationType: "stopRecordingOperation",
		status: "running",
		http: 202,
		finish: () => AFTER,
	},
	startTranscription: {
		path: "startTranscription",
		versions: BETA,
		operationType: "startTranscriptionOperation",
		status: "running",
		http: 202,
		finish: () => AFTER,
	},
	stopTranscription: {
		path: "stopTranscription",
		versions: BETA,
		operationType: "stopTranscriptionOperation",
		status: "running",
		http: 202,
		finish: () => AFTER,
	},
	// beta's lobby and mute-all actions (no docs page: paths, bodies and operation types from the beta SDK;
	// 200 with the operation `completed` is *inferred*, as for mute).
	admitFromLobby: {
		...BETA_MEETING_ACTION,
		path: "participants/:participantId/admitFromLobby",
		operationType: "admitFromLobbyOperation",
		meeting: (_, participantId) => ({ kind: "admitFromLobby", participantId }),
	},
	removeFromLobby: {
		...BETA_MEETING_ACTION,
		path: "participants/:participantId/removeFromLobby",
		operationType: "removeFromLobbyOperation",
		meeting: (_, participantId) => ({ kind: "removeFromLobby", participantId }),
	},
	admitAllFromLobby: {
		...BETA_MEETING_ACTION,
		path: "participants/admitAllFromLobby",
		operationType: "admitAllFromLobbyOperation",
		meeting: () => ({ kind: "admitAllFromLobby" }),
	},
	muteAll: {
		...BETA_MEETING_ACTION,
		path: "participants/muteAll",
		operationType: "muteParticipantsOperation",
		extra: (body) => ({ participants: body.participants ?? [] }),
		meeting: (body) => ({ kind: "muteAll", participantIds: body.participants ?? [] }),
	},
};

function parseBody<N extends ActionRoute>(version: ApiVersion, name: N, body: Record<string, unknown>): Body<N> {
	const schema = actionBodySchema(version, name) as unknown as v.GenericSchema<unknown, Body<N>>;
	return parsedOrInvalid(schema, body, "request body");
}

/** An action answers with its operation: its clientContext as sent (or null), then what the row adds. */
function describe<N extends ActionRoute>(name: N, body: Body<N>, participantId: string | undefined): ActionRequest {
	const row = OPERATION_ACTIONS[name];
	const clientContext = "clientContext" in body ? (body.clientContext ?? null) : null;
	return {
		name,
		operation: row.operationType
			? {
					typeName: row.operationType,
					id: crypto.randomUUID(),
					properties: { status: row.status, clientContext, ...row.extra?.(body) },
				}
			: null,
		finish: row.finish(body),
		effect: row.effect?.(body) ?? { kind: "none" },
		serviceHostedOnly: row.serviceHostedOnly === true,
		...(participantId === undefined ? {} : { participantId }),
		...(row.meeting
			? { meeting: { action: row.meeting(body, participantId ?? ""), only: row.meetingOnly === true } }
			: {}),
		recordingLocation: "",
	};
}

/** The one handler of every operation-making action: validate, one step in the call's object, answer. */
export const operationActionHandler = (name: ActionRoute) => async (request: StubRequest, env: Env) => {
	const row = OPERATION_ACTIONS[name];
	const { version, callId } = callPath(request.params);
	if (!row.versions.includes(version)) return notFound(request); // Graph: an unknown segment on that version
	const namespace = await callerNamespace(request, env);
	const participantId = row.path.includes(":participantId") ? participantPath(request.params).participantId : undefined;
	const raw = await readJsonObject(request, settingsOf(env).maxBodyBytes);
	const body = parseBody(version, name, raw);
	const described = describe(name, body, participantId);
	// A recording's URL is sealed here, where the deployment secret is (recording-urls.ts): its id is the operation's.
	const recordingId = described.finish.kind === "record" ? described.operation?.id : undefined;
	const action = recordingId
		? {
				...described,
				recordingLocation: await recordingUrl(env, request.meta.origin, { namespace, callId, id: recordingId }),
			}
		: described;
	const outcome = await callObject(env, namespace, callId).operationAction(
		action,
		requestFacts(request, name, row.http),
	);
	if (outcome.delayMs) await scheduler.wait(outcome.delayMs);
	if (!outcome.ok && outcome.error === "fault") throw injectedFault(outcome.fault);
	const operation = callAnswer(outcome);
	if (!operation) return new Response(null, { status: row.http });
	const id = action.operation?.id ?? "";
	return odataJson(versionViewJson(operation.json, version), row.http, {
		Location: `${request.meta.origin}${operationPath(version, callId, id)}`,
		"x-stub-sequence": String(operation.seq),
	});
};
