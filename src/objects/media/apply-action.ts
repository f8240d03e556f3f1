import type { ApiVersion } from "../../schema/api-version";
import { graphTypeName } from "../../schema/odata-type-name";
import type { CallContext } from "../call/call-context";
import { type CallOutcome, done, refused, wrongState } from "../call/call-outcome";
import { loadCall, type StoredCall } from "../call/call-store";
import { noteRecordingStatus } from "../call/recorder-link";
import type { StoredOperation } from "../call-results";
import { applyWrite } from "../operations/operation-store";
import type { ActionRequest, Effect } from "./action-request";
import { insertAction, markDone, markRunning, pendingInvitees, unfinishedActions } from "./action-store";
import { callRef, cancelMedia, scheduleFinish, startNextMedia } from "./media-queue";
import {
	botParticipant,
	findParticipant,
	MAX_PARTICIPANTS,
	notifyRoster,
	type Participant,
	participantCount,
	updateParticipant,
} from "./roster";
import { subscribeToTones } from "./tones";

// The one step every operation-making action takes, in one transaction: check the call, store the
// operation (readable at its Location, next in the call's sequence), plan how it finishes, apply the
// action's effect.

/** Operations a call may have running or queued at once (*inferred*: keeps the queue bounded). */
export const MAX_UNFINISHED = 100;

/** How the object's progression scripts take over an operation, when one is configured for its type. */
export type Progression = {
	scripted: (typeName: string) => boolean;
	plan: (operation: StoredOperation, version: ApiVersion) => void;
};

const isAppHosted = (call: StoredCall) => {
	const media = call.document.mediaConfig as { "@odata.type"?: string } | null | undefined;
	return graphTypeName(media?.["@odata.type"] ?? "") === "appHostedMediaConfig";
};

export function applyOperationAction(
	sql: SqlStorage,
	request: ActionRequest,
	ctx: CallContext,
	progression: Progression,
): CallOutcome<StoredOperation | null> {
	const checked = checkAction(sql, request);
	return checked.ok ? storeAction(sql, checked.value, request, ctx, progression) : checked;
}

/**
 * Whether the call takes the action now: it exists, is established, has the media the action needs and
 * room for another unfinished operation; and the participant named is one of the call's own (unless
 * `participants` is "meeting": a meeting call's participants are the meeting's, which checks them).
 */
export function checkAction(
	sql: SqlStorage,
	request: ActionRequest,
	participants: "own" | "meeting" = "own",
): CallOutcome<StoredCall> {
	const call = loadCall(sql);
	if (!call || call.state === "terminated") return refused("callNotFound");
	if (call.state !== "established")
		return wrongState(`The call is ${call.state}: '${request.name}' needs an established call.`);
	if (request.serviceHostedOnly && isAppHosted(call))
		return wrongState(`'${request.name}' needs service-hosted media; this call's media is app-hosted.`);
	if (participants === "own" && request.participantId !== undefined && !findParticipant(sql, request.participantId))
		return refused("participantNotFound");
	if (request.finish.kind !== "none" && unfinishedActions(sql).length >= MAX_UNFINISHED)
		return wrongState(`The call already has ${MAX_UNFINISHED} unfinished operations; cancel or wait for some.`);
	const invitees = request.finish.kind === "after" ? (request.finish.invitees?.length ?? 0) : 0;
	if (invitees && participantCount(sql) + pendingInvitees(sql) + invitees > MAX_PARTICIPANTS)
		return wrongState(`A call holds at most ${MAX_PARTICIPANTS} participants.`);
	return done(call);
}

/**
 * The action taken: its operation stored (readable at its Location, next in the call's sequence), how it
 * finishes planned, its effect applied. A call that ended meanwhile (a meeting action the meeting took
 * before the bot's hang-up reached it) keeps the operation as answered, with nothing left to run.
 */
export function storeAction(
	sql: SqlStorage,
	call: StoredCall,
	request: ActionRequest,
	ctx: CallContext,
	progression: Progression,
): CallOutcome<StoredOperation | null> {
	let stored: StoredOperation | null = null;
	if (request.operation) {
		const { typeName, id, properties } = request.operation;
		const written = applyWrite(
			sql,
			{
				kind: "create",
				operation: { typeName, id, propertiesJson: JSON.stringify(properties) },
				version: call.version,
			},
			ctx.nowIso,
		);
		if (!written.ok) return refused("conflict"); // a fresh random id: not expected
		stored = written.value;
		const queued = request.finish.kind === "prompts" || request.finish.kind === "record";
		const scripted = progression.scripted(typeName);
		insertAction(sql, request, id, queued && !scripted);
		if (call.state === "terminated") markDone(sql, id);
		else if (scripted) {
			markRunning(sql, id, ctx.nowMs); // the tester's script moves it; it ends with the call like the rest
			progression.plan(stored, call.version);
		} else if (queued) startNextMedia(sql, ctx);
		else if (request.finish.kind === "after") scheduleFinish(sql, id, ctx);
		else markDone(sql, id);
	}
	if (call.state !== "terminated") applyEffect(sql, call, request, ctx);
	return done(stored);
}

function applyEffect(sql: SqlStorage, call: StoredCall, request: ActionRequest, ctx: CallContext): void {
	const effect: Effect = request.effect;
	switch (effect.kind) {
		case "none":
			return;
		case "cancelMedia":
			cancelMedia(sql, callRef(call), ctx);
			return;
		case "subscribeToTone":
			subscribeToTones(sql);
			return;
		case "muteSelf":
			changeParticipant(sql, call, botParticipant(sql, call), { isMuted: effect.muted }, ctx);
			return;
		case "muteParticipant": {
			const target = findParticipant(sql, request.participantId ?? "");
			if (target) changeParticipant(sql, call, target, { isMuted: true }, ctx);
			return;
		}
		case "recordingStatus": {
			noteRecordingStatus(sql, effect.status); // a compliance recorder's call tells its observed call
			const bot = botParticipant(sql, call);
			const info = bot.info as { identity?: unknown } | null | undefined;
			if ((bot.recordingInfo as { recordingStatus?: unknown } | null | undefined)?.recordingStatus === effect.status)
				return;
			const recordingInfo = {
				"@odata.type": "#microsoft.graph.recordingInfo",
				initiator: info?.identity ?? null,
				recordingStatus: effect.status,
			};
			changeParticipant(sql, call, bot, { recordingInfo }, ctx);
			return;
		}
		case "screenSharing": {
			const bot = botParticipant(sql, call);
			const streams = ((bot.mediaStreams as Record<string, unknown>[] | undefined) ?? []).filter(
				(stream) => stream.mediaType !== "videoBasedScreenSharing",
			);
			streams.push({
				"@odata.type": "#microsoft.graph.mediaStream",
				mediaType: "videoBasedScreenSharing",
				label: "applicationsharing-video",
				sourceId: "1",
				direction: effect.role === "sharer" ? "sendOnly" : "receiveOnly",
				serverMuted: false,
			});
			changeParticipant(sql, call, bot, { mediaStreams: streams }, ctx);
			return;
		}
	}
}

function changeParticipant(
	sql: SqlStorage,
	call: StoredCall,
	one: Participant,
	changes: Record<string, unknown>,
	ctx: CallContext,
) {
	updateParticipant(sql, { ...one, ...changes });
	notifyRoster(sql, call, ctx);
}
