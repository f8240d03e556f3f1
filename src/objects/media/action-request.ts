import type { BotAction } from "../../meetings/bot-action";
import type { ActionRoute } from "../../schema/fault-plan";
import type { ResultInfo } from "../../schema/result-info";
import type { CallOutcome } from "../call/call-outcome";
import type { StoredOperation } from "../call-results";
import type { Fault, FaultDecision } from "../simulation/fault-decision";

// An action on an established call, as the Worker validated and described it: plain data across RPC.
// The Worker's table (src/routes/graph-calls/operation-actions.ts) says what each action is; the call
// object applies any of them through one step (apply-action.ts).

/** How the operation the action made finishes. */
export type Finish =
	/** Already terminal when returned (cancelMediaProcessing, subscribeToTone, mute …): no notification. */
	| { kind: "none" }
	/** In the media queue: each prompt plays `promptMs`; a looping prompt plays until cancelled. */
	| { kind: "prompts"; count: number; loop: boolean }
	/** In the media queue: its prompt, then recording up to `maxRecordMs`, or until one of `stopTones`. */
	| { kind: "record"; promptCount: number; maxRecordMs: number; stopTones: string[]; bargeIn: boolean }
	/** Outside the queue: `deleted`, completed, after `actionMs` (with `completionReason` when given). */
	| { kind: "after"; completionReason?: string; resultInfo?: ResultInfo; invitees?: Record<string, unknown>[] };

/** What the action changes besides making its operation. */
export type Effect =
	| { kind: "none" }
	| { kind: "cancelMedia" }
	| { kind: "subscribeToTone" }
	| { kind: "muteSelf"; muted: boolean }
	/** participants/{id}/mute. (An invite's invitees join when its operation finishes: Finish.invitees.) */
	| { kind: "muteParticipant" }
	| { kind: "screenSharing"; role: "viewer" | "sharer" }
	/** updateRecordingStatus: the bot's own participant's recordingInfo (a call not in a meeting), and a compliance recorder's news for its observed call (recorder-link.ts). */
	| { kind: "recordingStatus"; status: string };

export type ActionRequest = {
	/** The action's name: also its fault route. */
	name: ActionRoute;
	/** The operation it makes (null: the action makes none, e.g. changeScreenSharingRole). */
	operation: { typeName: string; id: string; properties: Record<string, unknown> } | null;
	finish: Finish;
	effect: Effect;
	/** Service-hosted media only (playPrompt, recordResponse, subscribeToTone). */
	serviceHostedOnly: boolean;
	/** For participants/{id}/… actions. */
	participantId?: string;
	/**
	 * On a meeting call, what the meeting changes instead of `effect` (the meeting applies it in its order,
	 * then the call stores the operation); `meetingOnly`: refused on a call not in a meeting.
	 */
	meeting?: { action: BotAction; only: boolean };
	/** A recordResponse's recording URL (`{origin}/_stub/recordings/{sealed}`, its id the operation's); else "". */
	recordingLocation: string;
};

/** What the object answers: the stored operation (or null), or why not; a fault plan's latency, if any. */
export type ActionOutcome = (CallOutcome<StoredOperation | null> | { ok: false; error: "fault"; fault: Fault }) & {
	delayMs?: number;
};

export function actionOutcome(
	outcome: CallOutcome<StoredOperation | null>,
	decision: FaultDecision | undefined,
): ActionOutcome {
	const delayMs = decision?.delayMs ?? 0;
	if (outcome.ok && decision?.fault) return { ok: false, error: "fault", fault: decision.fault, delayMs };
	return delayMs ? { ...outcome, delayMs } : outcome;
}
