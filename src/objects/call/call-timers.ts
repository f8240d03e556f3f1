import type { CallingSettings } from "../../schema/calling-config";
import type { ResultInfo } from "../../schema/result-info";
import { operationDue } from "../media/media-queue";
import { toneHeard } from "../media/tones";
import type { CallContext } from "./call-context";
import { ANSWER_TIMED_OUT, KEEP_ALIVE_TIMED_OUT, TRANSFER_COMPLETED } from "./call-results-info";
import { CALL_TIMERS, isCallTimer, mayAct } from "./call-states";
import { AUDIO_ACTIVE, end, moveTo } from "./call-steps";
import { deleteTimer, dueTimers, loadCall, schedule } from "./call-store";
import { rosterOnConnect } from "./meeting-link";
import { recordingDeadlineDue } from "./recorder-link";

type Detail = { resultInfo?: ResultInfo; operationId?: string; tone?: string };

/** After `setupMs`: established and then audio active, or the configured failure (e.g. 480/10076). */
export function scheduleSetup(sql: SqlStorage, ctx: CallContext, outcome: CallingSettings["outcome"]) {
	const due = ctx.nowMs + ctx.calling.setupMs;
	if (outcome === "established") {
		schedule(sql, due, "established");
		schedule(sql, due, "audioActive");
	} else schedule(sql, due, "setupFailed", { resultInfo: outcome.resultInfo });
}

/** Inside one transaction: every timer due by now, in due order; a timer whose call moved on is dropped. */
export function runDueTimers(sql: SqlStorage, ctx: CallContext): void {
	for (const timer of dueTimers(sql, ctx.nowMs)) {
		deleteTimer(sql, timer.id);
		const call = loadCall(sql);
		if (!call || !isCallTimer(timer.kind) || !mayAct(CALL_TIMERS[timer.kind], call.state)) continue;
		const detail = JSON.parse(timer.detail) as Detail;
		switch (timer.kind) {
			case "established":
				moveTo(sql, call, "established", ctx);
				break;
			case "audioActive":
				rosterOnConnect(sql, moveTo(sql, call, "established", ctx, { mediaState: AUDIO_ACTIVE }), ctx);
				break;
			case "setupFailed":
				end(sql, call, ctx, { resultInfo: detail.resultInfo });
				break;
			case "answerTimeout":
				end(sql, call, ctx, { resultInfo: ANSWER_TIMED_OUT });
				break;
			case "keepAliveExpired":
				end(sql, call, ctx, { resultInfo: KEEP_ALIVE_TIMED_OUT });
				break;
			case "transferAccepted":
				moveTo(sql, call, "transferAccepted", ctx);
				break;
			case "transferCompleted":
				end(sql, call, ctx, { resultInfo: TRANSFER_COMPLETED });
				break;
			case "transferFailed":
				moveTo(sql, call, "established", ctx, { resultInfo: detail.resultInfo });
				break;
			case "operationFinished":
				operationDue(sql, call, detail.operationId ?? "", ctx);
				break;
			case "tonePressed":
				toneHeard(sql, call, detail.tone ?? "", ctx);
				break;
			case "recordingDeadline":
				recordingDeadlineDue(sql);
				break;
		}
	}
}
