import type { CallContext } from "../call/call-context";
import { addParticipant, type StoredCall, schedule } from "../call/call-store";
import type { Finish } from "./action-request";
import {
	type ActionRow,
	findAction,
	finishOf,
	markDone,
	markRunning,
	nextMedia,
	runningMedia,
	unfinishedActions,
	unfinishedMedia,
} from "./action-store";
import { ACTION_CANCELLED, ACTION_COMPLETED } from "./media-results";
import { type CallRef, type Ending, finishOperation } from "./operation-notification";
import { makeRecording } from "./recordings";
import { joined, notifyRoster } from "./roster";

// The call's media queue (playPrompt, recordResponse): one at a time, in queue order; each finishes on a
// call timer (`operationFinished`), is cancelled by cancelMediaProcessing, or ends with the call.

export type { CallRef };

/** Where the call's action-made operations are notified, and in which version. */
export const callRef = (call: StoredCall): CallRef => ({
	callId: call.document.id,
	callbackUri: call.callbackUri,
	version: call.version,
});

const promptsMs = (finish: Finish, ctx: CallContext) =>
	finish.kind === "prompts"
		? finish.count * ctx.calling.promptMs
		: finish.kind === "record"
			? finish.promptCount * ctx.calling.promptMs
			: 0;

const recordedMs = (finish: Finish, ctx: CallContext) =>
	finish.kind === "record" ? Math.min(ctx.calling.recordMs, finish.maxRecordMs) : 0;

/** Starts the head of the queue if nothing is playing or recording. */
export function startNextMedia(sql: SqlStorage, ctx: CallContext): void {
	if (runningMedia(sql)) return;
	const head = nextMedia(sql);
	if (!head) return;
	markRunning(sql, head.operation_id, ctx.nowMs);
	const finish = finishOf(head);
	if (finish.kind === "prompts" && finish.loop) return; // loops until cancelled: no notification (beta docs)
	schedule(sql, ctx.nowMs + promptsMs(finish, ctx) + recordedMs(finish, ctx), "operationFinished", {
		operationId: head.operation_id,
	});
}

/** Plans the finish of an operation outside the queue (sendDtmfTones, invite, hold music …). */
export function scheduleFinish(sql: SqlStorage, operationId: string, ctx: CallContext): void {
	markRunning(sql, operationId, ctx.nowMs);
	schedule(sql, ctx.nowMs + ctx.calling.actionMs, "operationFinished", { operationId });
}

/** How a running operation completes by itself. */
function completion(sql: SqlStorage, row: ActionRow, ctx: CallContext, recordedFor?: number): Ending {
	const finish = finishOf(row);
	switch (finish.kind) {
		case "prompts":
			return {
				status: "completed",
				changes: [
					["completionReason", "completedSuccessfully"],
					["resultInfo", ACTION_COMPLETED],
				],
			};
		case "record": {
			const durationMs = recordedFor ?? recordedMs(finish, ctx);
			const recording = makeRecording(sql, { location: row.recording_base, id: row.operation_id }, durationMs);
			const outcome =
				recordedFor === undefined
					? ctx.calling.recordOutcome
					: { completionReason: "stopToneDetected", resultInfo: ACTION_COMPLETED };
			return {
				status: "completed",
				changes: [
					["completionReason", outcome.completionReason],
					["resultInfo", outcome.resultInfo],
					["recordingLocation", recording.location],
					["recordingAccessToken", recording.accessToken],
				],
			};
		}
		case "after":
			return {
				status: "completed",
				changes: [
					...(finish.completionReason ? [["completionReason", finish.completionReason] as [string, unknown]] : []),
					...(finish.resultInfo ? [["resultInfo", finish.resultInfo] as [string, unknown]] : []),
				],
			};
		case "none":
			return { status: "completed" };
	}
}

/** The `operationFinished` timer: the operation completes (an invite's invitees join); the queue moves on. */
export function operationDue(sql: SqlStorage, call: StoredCall, operationId: string, ctx: CallContext): void {
	const row = findAction(sql, operationId);
	if (row?.state !== "running") return;
	finishOperation(sql, callRef(call), operationId, completion(sql, row, ctx), ctx);
	const finish = finishOf(row);
	if (finish.kind === "after" && finish.invitees?.length) {
		for (const invitee of finish.invitees) addParticipant(sql, joined(invitee));
		notifyRoster(sql, call, ctx);
	}
	if (row.queued) startNextMedia(sql, ctx);
}

/** A stop tone: a running recordResponse listening for it ends now, `stopToneDetected`. */
export function stopToneHeard(sql: SqlStorage, call: CallRef, key: string, ctx: CallContext): boolean {
	const row = runningMedia(sql);
	if (!row) return false;
	const finish = finishOf(row);
	if (finish.kind !== "record" || !finish.stopTones.includes(key)) return false;
	const recordingFrom = (row.started_at ?? ctx.nowMs) + promptsMs(finish, ctx);
	if (ctx.nowMs < recordingFrom) return false; // still playing its prompt: *inferred*, keys count once recording
	dropTimer(sql, row.operation_id);
	const recorded = Math.min(ctx.nowMs - recordingFrom, finish.maxRecordMs);
	finishOperation(sql, call, row.operation_id, completion(sql, row, ctx, recorded), ctx);
	startNextMedia(sql, ctx);
	return true;
}

const cancelled = (row: ActionRow): Ending => {
	const record = finishOf(row).kind === "record";
	const reason = record ? "operationCanceled" : row.queued ? "mediaOperationCanceled" : undefined;
	return {
		status: "failed",
		changes: [
			["resultInfo", ACTION_CANCELLED],
			...(reason ? ([["completionReason", reason]] as [string, unknown][]) : []),
			...(record
				? ([
						["recordingLocation", ""],
						["recordingAccessToken", ""],
					] as [string, unknown][])
				: []),
		],
	};
};

/** cancelMediaProcessing: every running and queued media operation fails, 400/8508. */
export const cancelMedia = (sql: SqlStorage, call: CallRef, ctx: CallContext) =>
	failAll(sql, unfinishedMedia(sql), call, ctx);

/** The call ends (either side hangs up, or it expires): whatever is unfinished fails, 400/8508 (*inferred*). */
export const endActions = (sql: SqlStorage, call: CallRef, ctx: CallContext) =>
	failAll(sql, unfinishedActions(sql), call, ctx);

function failAll(sql: SqlStorage, rows: ActionRow[], call: CallRef, ctx: CallContext) {
	for (const row of rows) {
		dropTimer(sql, row.operation_id);
		finishOperation(sql, call, row.operation_id, cancelled(row), ctx);
	}
}

function dropTimer(sql: SqlStorage, operationId: string) {
	sql.exec(
		"DELETE FROM call_timers WHERE kind = 'operationFinished' AND json_extract(detail, '$.operationId') = ?",
		operationId,
	);
}

/**
 * A tester PATCHed an action's operation to Completed or Failed: that is where it ends. It is no longer
 * finished, cancelled or ended with the call by the stub, and the media queue moves on past it.
 */
export function settledByTester(sql: SqlStorage, operationId: string, ctx: CallContext): void {
	const row = findAction(sql, operationId);
	if (!row || row.state === "done") return;
	markDone(sql, operationId);
	if (row.queued) startNextMedia(sql, ctx);
}
