import type { ApiVersion } from "../../schema/api-version";
import type { ResultInfo } from "../../schema/result-info";
import type { CallContext } from "./call-context";
import { notifyCall } from "./call-notifications";
import { type CallOutcome, done, refused, wrongState } from "./call-outcome";
import { ENDED_BY_BOT, ENDED_BY_FAR_SIDE } from "./call-results-info";
import { CALL_REQUESTS, mayAct } from "./call-states";
import { end, mediaEnded, moveTo } from "./call-steps";
import {
	addParticipant,
	type CallDocument,
	callHead,
	clearTimers,
	insertCall,
	loadCall,
	type StoredCall,
	schedule,
	storedCallJson,
} from "./call-store";
import { scheduleSetup } from "./call-timers";

/** A request to an existing call, as the Worker validated it. */
export type CallAction =
	| {
			kind: "answer";
			callbackUri: string;
			mediaConfig: Record<string, unknown>;
			acceptedModalities: string[] | null;
			/** incomingCallOptions (isContentSharingNotificationEnabled …): kept on the call when sent. */
			callOptions: Record<string, unknown> | null;
			version: ApiVersion;
	  }
	| { kind: "reject"; callbackUri: string | null }
	| { kind: "redirect"; callbackUri: string | null }
	| { kind: "transfer" }
	| { kind: "keepAlive" }
	| { kind: "hangUp" }
	| { kind: "farHangUp"; resultInfo: ResultInfo | undefined };

type Participant = { id: string } & Record<string, unknown>;

/** A new call: its document, first participants, and the version its notifications are shaped for. */
export type NewCall = { document: CallDocument; participants: Participant[]; version: ApiVersion };

/** Stores a new call and its first participants; undefined when the object already holds a call. */
function beginCall(
	sql: SqlStorage,
	state: StoredCall["state"],
	direction: StoredCall["direction"],
	{ document, participants, version }: NewCall,
	ctx: CallContext,
): StoredCall | undefined {
	const call: StoredCall = { state, direction, callbackUri: String(document.callbackUri), version, document };
	if (!insertCall(sql, call, ctx.nowIso)) return undefined;
	for (const one of participants) addParticipant(sql, one);
	return call;
}

/** POST /calls: the call is stored `establishing`, the bot hears so, and its setup is scheduled. */
export function createOutgoing(sql: SqlStorage, created: NewCall, ctx: CallContext): CallOutcome<string> {
	const call = beginCall(sql, "establishing", "outgoing", created, ctx);
	if (!call) return refused("conflict");
	notifyCall(sql, call, "updated", ctx);
	scheduleSetup(sql, ctx, ctx.calling.outcome);
	schedule(sql, ctx.nowMs + ctx.calling.keepAliveTimeoutMs, "keepAliveExpired");
	return done(JSON.stringify(call.document));
}

/** POST /_stub/incoming-calls: the call rings (`incoming`); the bot hears `created` and has a while to act. */
export function startIncoming(
	sql: SqlStorage,
	created: NewCall,
	answerTimeoutMs: number,
	ctx: CallContext,
): CallOutcome<string> {
	const call = beginCall(sql, "incoming", "incoming", created, ctx);
	if (!call) return refused("conflict");
	notifyCall(sql, call, "created", ctx);
	schedule(sql, ctx.nowMs + answerTimeoutMs, "answerTimeout");
	return done(JSON.stringify(call.document));
}

/** The call as served; an unknown or ended call is not found (404 8522). */
export function readCall(sql: SqlStorage): CallOutcome<string> {
	const call = storedCallJson(sql);
	return call && call.state !== "terminated" ? done(call.body) : refused("callNotFound");
}

/** One request to the call, if CALL_REQUESTS allows it in the call's state. */
export function applyAction(sql: SqlStorage, action: CallAction, ctx: CallContext): CallOutcome<null> {
	const call = loadCall(sql);
	if (!call || call.state === "terminated") return refused("callNotFound");
	const move = CALL_REQUESTS[action.kind];
	if (!mayAct(move, call.state))
		return wrongState(
			`${action.kind} is not allowed on a call in state '${call.state}' (allowed: ${move.from.join(", ")}).`,
		);
	switch (action.kind) {
		case "answer": {
			clearTimers(sql, "answerTimeout");
			const changes = {
				callbackUri: action.callbackUri,
				mediaConfig: action.mediaConfig,
				...(action.callOptions ? { callOptions: action.callOptions } : {}),
			};
			// From the answer on, the bot hears the call in the version it answered through.
			moveTo(sql, { ...call, callbackUri: action.callbackUri, version: action.version }, "establishing", ctx, changes);
			scheduleSetup(sql, ctx, "established");
			schedule(sql, ctx.nowMs + ctx.calling.keepAliveTimeoutMs, "keepAliveExpired");
			break;
		}
		case "reject": {
			const resourceData = {
				"@odata.type": "#microsoft.graph.call",
				"@odata.id": `/communications/calls/${call.document.id}`,
			};
			end(sql, call, ctx, { resourceData, callbackUri: action.callbackUri });
			break;
		}
		case "redirect":
			end(sql, call, ctx, { callbackUri: action.callbackUri });
			break;
		case "transfer":
			moveTo(sql, call, "transferring", ctx);
			scheduleTransfer(sql, ctx);
			break;
		case "keepAlive":
			clearTimers(sql, "keepAliveExpired");
			schedule(sql, ctx.nowMs + ctx.calling.keepAliveTimeoutMs, "keepAliveExpired");
			break;
		case "hangUp":
			notifyCall(
				sql,
				{ ...call, document: { ...call.document, ...mediaEnded(call), state: "terminating" } },
				"updated",
				ctx,
			);
			end(sql, call, ctx, { resultInfo: ENDED_BY_BOT });
			break;
		case "farHangUp":
			end(sql, call, ctx, { resultInfo: action.resultInfo ?? ENDED_BY_FAR_SIDE });
			break;
	}
	return done(null);
}

function scheduleTransfer(sql: SqlStorage, ctx: CallContext) {
	const step = ctx.calling.setupMs;
	const outcome = ctx.calling.transferOutcome;
	if (outcome === "completed") {
		schedule(sql, ctx.nowMs + step, "transferAccepted");
		schedule(sql, ctx.nowMs + 2 * step, "transferCompleted");
	} else schedule(sql, ctx.nowMs + step, "transferFailed", { resultInfo: outcome.resultInfo });
}

/** For /_stub/calls: the call's state and direction, if this object holds a call resource. */
export function callSummary(sql: SqlStorage) {
	const call = callHead(sql);
	return call ? { state: call.state, direction: call.direction } : undefined;
}
