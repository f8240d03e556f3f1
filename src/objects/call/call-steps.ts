import type { ResultInfo } from "../../schema/result-info";
import { callRef, endActions } from "../media/media-queue";
import type { CallContext } from "./call-context";
import { notifyCall } from "./call-notifications";
import type { CallState } from "./call-states";
import { type CallDocument, clearTimers, type StoredCall, saveCall } from "./call-store";
import { markEstablished } from "./record-filing";

// The two things every transition does: change the call and tell the bot, in one synchronous step.

/** The call moves to `state` (with `changes` to its document) and the bot hears `updated`. */
export function moveTo(
	sql: SqlStorage,
	call: StoredCall,
	state: CallState,
	ctx: CallContext,
	changes: Partial<CallDocument> = {},
): StoredCall {
	const moved: StoredCall = { ...call, state, document: { ...call.document, ...changes, state } };
	saveCall(sql, moved, ctx.nowIso);
	if (state === "established") markEstablished(sql, ctx.nowIso);
	notifyCall(sql, moved, "updated", ctx);
	return moved;
}

type Ending = {
	resultInfo?: ResultInfo;
	/** What the `deleted` notification carries instead of the whole call (a rejected call: only its id). */
	resourceData?: unknown;
	callbackUri?: string | null;
};

/** The call ends: terminated, its timers dropped, the bot hears `deleted`. GET answers 404 from now on. */
export function end(sql: SqlStorage, call: StoredCall, ctx: CallContext, ending: Ending = {}): void {
	endActions(sql, callRef(call), ctx); // before the call's `deleted`
	const changes: Partial<CallDocument> = ending.resultInfo === undefined ? {} : { resultInfo: ending.resultInfo };
	Object.assign(changes, mediaEnded(call));
	const ended: StoredCall = {
		...call,
		state: "terminated",
		document: { ...call.document, ...changes, state: "terminated" },
	};
	saveCall(sql, ended, ctx.nowIso);
	clearTimers(sql);
	notifyCall(sql, ended, "deleted", ctx, ending.resourceData ?? ended.document, ending.callbackUri ?? call.callbackUri);
}

export const AUDIO_ACTIVE = { "@odata.type": "#microsoft.graph.callMediaState", audio: "active" };
export const AUDIO_INACTIVE = { "@odata.type": "#microsoft.graph.callMediaState", audio: "inactive" };

/** The media of an ending call is no longer active (*inferred*: Graph's docs mention "audio inactive"). */
export const mediaEnded = (call: StoredCall): Partial<CallDocument> =>
	call.document.mediaState ? { mediaState: AUDIO_INACTIVE } : {};
