import type { CallContext } from "../call/call-context";
import { type CallOutcome, done, refused, wrongState } from "../call/call-outcome";
import { addParticipant, loadCall, type StoredCall, schedule } from "../call/call-store";
import { linkedRoster, meetingLink } from "../call/meeting-link";
import { pendingInvitees } from "./action-store";
import { supplyAudio } from "./recordings";
import {
	findParticipant,
	joined,
	listParticipants,
	MAX_PARTICIPANTS,
	notifyRoster,
	type Participant,
	participantCount,
	removeParticipant,
} from "./roster";
import { toneHeard } from "./tones";

// What the far side does to an established call (stub extensions), and the participant reads and
// removal: each one synchronous step of the call object.

const liveCall = (sql: SqlStorage): StoredCall | undefined => {
	const call = loadCall(sql);
	return call && call.state !== "terminated" ? call : undefined;
};

const needsEstablished = (call: StoredCall, what: string) =>
	call.state === "established"
		? undefined
		: wrongState<null>(`The call is ${call.state}: ${what} needs an established call.`);

const MAX_PENDING_TONES = 256;

/** POST /_stub/calls/{id}/tones: now, or each `delayMs` after the one before. */
export function pressTones(sql: SqlStorage, tones: string[], delayMs: number, ctx: CallContext): CallOutcome<null> {
	const call = liveCall(sql);
	if (!call) return refused("callNotFound");
	const refusal = needsEstablished(call, "pressing keys");
	if (refusal) return refusal;
	const pending = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM call_timers WHERE kind = 'tonePressed'").one().n;
	if (delayMs > 0 && pending + tones.length > MAX_PENDING_TONES)
		return wrongState(`At most ${MAX_PENDING_TONES} keys may wait to be pressed.`);
	tones.forEach((tone, i) => {
		if (delayMs === 0)
			toneHeard(sql, call, tone, ctx); // a tone changes operations, never the call itself
		else schedule(sql, ctx.nowMs + (i + 1) * delayMs, "tonePressed", { tone });
	});
	return done(null);
}

/** POST /_stub/calls/{id}/roster: people join and leave; the bot hears the roster once. */
export function changeRoster(
	sql: SqlStorage,
	change: { join: Record<string, unknown>[]; leave: string[] },
	ctx: CallContext,
): CallOutcome<null> {
	const call = liveCall(sql);
	if (!call) return refused("callNotFound");
	const refusal = needsEstablished(call, "a roster change");
	if (refusal) return refusal;
	// A meeting call's roster is the meeting's (*inferred* refusal): its far side is /_stub/meetings/{id}/….
	if (meetingLink(sql))
		return wrongState("This call is in a meeting: change its roster with /_stub/meetings/{id}/participants.");
	const leave = [...new Set(change.leave)]; // one participant leaves once, however often it is named
	const unknown = leave.filter((id) => !findParticipant(sql, id));
	if (unknown.length)
		return wrongState(`leave: no participant ${unknown.map((id) => `'${id}'`).join(", ")} in this call.`);
	if (participantCount(sql) + pendingInvitees(sql) - leave.length + change.join.length > MAX_PARTICIPANTS)
		return wrongState(`A call holds at most ${MAX_PARTICIPANTS} participants.`);
	for (const id of leave) removeParticipant(sql, id);
	for (const info of change.join) addParticipant(sql, joined(info));
	notifyRoster(sql, call, ctx);
	return done(null);
}

/** DELETE …/participants/{pid}: 204, then the roster without them. */
export function deleteParticipant(sql: SqlStorage, participantId: string, ctx: CallContext): CallOutcome<null> {
	const call = liveCall(sql);
	if (!call) return refused("callNotFound");
	if (!removeParticipant(sql, participantId)) return refused("participantNotFound");
	notifyRoster(sql, call, ctx);
	return done(null);
}

/** The call's participants; a meeting call's are the meeting's roster as the call last took it. */
export function readParticipants(sql: SqlStorage): CallOutcome<Participant[]> {
	if (!liveCall(sql)) return refused("callNotFound");
	return done(linkedRoster(sql) ?? listParticipants(sql));
}

export function readParticipant(sql: SqlStorage, participantId: string): CallOutcome<Participant> {
	if (!liveCall(sql)) return refused("callNotFound");
	const roster = linkedRoster(sql);
	const found = roster ? roster.find((one) => one.id === participantId) : findParticipant(sql, participantId);
	return found ? done(found) : refused("participantNotFound");
}

/** PUT /_stub/calls/{id}/recording: the audio the next recording returns. */
export function setNextRecordingAudio(sql: SqlStorage, pcm: Uint8Array): CallOutcome<null> {
	if (!liveCall(sql)) return refused("callNotFound");
	supplyAudio(sql, pcm);
	return done(null);
}
