import type { MediaStream, Participant } from "./participant-shape";

// What each roster change did, in words a tester reads (the live page's meeting history): replayed from
// the roster before the first change, each changed participant compared with how it was.

const ROSTER_EVENT_KINDS = [
	"joined",
	"left",
	"inLobby",
	"admitted",
	"muted",
	"unmuted",
	"startedVideo",
	"stoppedVideo",
	"startedSharing",
	"stoppedSharing",
	"recordingChanged",
	"changed",
] as const;
export type RosterEventKind = (typeof ROSTER_EVENT_KINDS)[number];

/** One participant in one change: who, what happened, and the participant as it is after it. */
export type RosterEvent = { seq: number; name: string; what: RosterEventKind[]; participant: Participant };

/** The name a tester gave (any identity's displayName), else the identity's id, else the participant id. */
export function participantName(participant: Participant): string {
	const identity = (participant.info.identity ?? {}) as Record<string, unknown>;
	for (const [kind, value] of Object.entries(identity)) {
		if (kind.startsWith("@") || !value || typeof value !== "object") continue;
		const { displayName, id } = value as { displayName?: unknown; id?: unknown };
		if (typeof displayName === "string" && displayName) return displayName;
		if (typeof id === "string" && id) return id;
	}
	return participant.id;
}

const sends = (streams: MediaStream[], mediaType: MediaStream["mediaType"]) =>
	streams.some(
		(stream) =>
			stream.mediaType === mediaType && (stream.direction === "sendOnly" || stream.direction === "sendReceive"),
	);

function whatChanged(before: Participant | undefined, after: Participant): RosterEventKind[] {
	if (after.removedState) return ["left"];
	if (!before) return after.isInLobby ? ["inLobby"] : ["joined"];
	const what: RosterEventKind[] = [];
	const flip = (was: boolean, is: boolean, on: RosterEventKind, off: RosterEventKind) => {
		if (was !== is) what.push(is ? on : off);
	};
	flip(before.isInLobby, after.isInLobby, "inLobby", "admitted");
	flip(before.isMuted, after.isMuted, "muted", "unmuted");
	flip(sends(before.mediaStreams, "video"), sends(after.mediaStreams, "video"), "startedVideo", "stoppedVideo");
	const sharing = (p: Participant) => sends(p.mediaStreams, "videoBasedScreenSharing");
	flip(sharing(before), sharing(after), "startedSharing", "stoppedSharing");
	if (JSON.stringify(before.recordingInfo) !== JSON.stringify(after.recordingInfo)) what.push("recordingChanged");
	return what.length ? what : ["changed"];
}

/** The events of `changes` (oldest first), replayed on `base`, the roster just before the first. */
export function rosterEvents(base: Participant[], changes: { seq: number; changed: Participant[] }[]): RosterEvent[] {
	const roster = new Map(base.map((participant) => [participant.id, participant]));
	const events: RosterEvent[] = [];
	for (const { seq, changed } of changes)
		for (const participant of changed) {
			events.push({
				seq,
				name: participantName(participant),
				what: whatChanged(roster.get(participant.id), participant),
				participant,
			});
			if (participant.removedState) roster.delete(participant.id);
			else roster.set(participant.id, participant);
		}
	return events;
}
