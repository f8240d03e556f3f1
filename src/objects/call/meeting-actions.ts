import type { BotActionRefusal } from "../../meetings/bot-action";
import type { StoredOperation } from "../call-results";
import type { ActionRequest } from "../media/action-request";
import { checkAction, type Progression, storeAction } from "../media/apply-action";
import type { CallContext } from "./call-context";
import { type CallOutcome, done, refused, wrongState } from "./call-outcome";
import { loadCall } from "./call-store";
import { meetingLink } from "./meeting-link";
import { noteRecordingStatus } from "./recorder-link";

// A bot's action whose effect is its meeting's (lobby, muteAll, recording status, hold music): the call
// checks its side in its own order; the meeting applies the change in the meeting's order (an RPC, in
// between); then the call stores the operation. A call not in a meeting applies the action itself, as
// any other, and refuses the actions that need a meeting.

/** After the call's check: ask the meeting of that name, or the action is already answered (no meeting). */
export type MeetingActionStart = { ask: string } | { answered: StoredOperation | null };

export function startMeetingAction(
	sql: SqlStorage,
	request: ActionRequest,
	ctx: CallContext,
	progression: Progression,
): CallOutcome<MeetingActionStart> {
	const link = meetingLink(sql);
	const only = request.meeting?.only === true;
	const checked = checkAction(sql, request, link || only ? "meeting" : "own");
	if (!checked.ok) return checked;
	if (link) return done({ ask: link.meetingName });
	// *inferred*: Graph documents no error for a lobby action on a call that is not a meeting's.
	if (only) return wrongState(`'${request.name}' needs a call joined to a meeting; this call is not in one.`);
	const stored = storeAction(sql, checked.value, request, ctx, progression);
	return stored.ok ? done({ answered: stored.value }) : stored;
}

/** The meeting took the action: the call stores its operation (the meeting made the change, not the call). */
export function finishMeetingAction(
	sql: SqlStorage,
	request: ActionRequest,
	ctx: CallContext,
	progression: Progression,
): CallOutcome<StoredOperation | null> {
	const call = loadCall(sql);
	if (!call) return refused("callNotFound");
	const stored = storeAction(sql, call, { ...request, effect: { kind: "none" } }, ctx, progression);
	// The meeting showed the status in its roster; a compliance recorder's call also tells its observed call.
	if (stored.ok && call.state !== "terminated" && request.effect.kind === "recordingStatus")
		noteRecordingStatus(sql, request.effect.status);
	return stored;
}

/** The meeting's refusal as the call answers it (*inferred*: a call the meeting no longer has is not found). */
export function meetingRefusal<T>(reply: BotActionRefusal): CallOutcome<T> {
	switch (reply.error) {
		case "callNotJoined":
			return refused("callNotFound");
		case "participantNotFound":
			return refused("participantNotFound");
		case "invalid":
			return wrongState(reply.message);
	}
}
