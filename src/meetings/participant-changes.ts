import type { Direction, Participant } from "./participant-shape";

// What a bot's own actions do to a participant (src/meetings/bot-action.ts): each gives the participant
// after the change, or undefined when it is already so (nothing to tell).

/**
 * updateRecordingStatus: the participant's recordingInfo (both versions declare `initiator` and
 * `recordingStatus`; beta's `initiatedBy` has no documented type and is not made). The bot reports its
 * own recording, so it is the initiator.
 */
export function withRecordingStatus(participant: Participant, status: string): Participant | undefined {
	if (participant.recordingInfo?.recordingStatus === status) return undefined;
	const recordingInfo = {
		"@odata.type": "#microsoft.graph.recordingInfo",
		initiator: participant.info.identity,
		recordingStatus: status,
	};
	return { ...participant, recordingInfo };
}

/** muteAll: muted by the server (*inferred* representation: isMuted, and each audio stream serverMuted). */
export function serverMuted(participant: Participant): Participant | undefined {
	const audio = (stream: Participant["mediaStreams"][number]) => stream.mediaType === "audio";
	if (participant.isMuted && participant.mediaStreams.filter(audio).every((stream) => stream.serverMuted))
		return undefined;
	const mediaStreams = participant.mediaStreams.map((stream) =>
		audio(stream) ? { ...stream, serverMuted: true } : stream,
	);
	return { ...participant, isMuted: true, mediaStreams };
}

/** The directions of a participant's streams by sourceId: what a hold keeps, to give back. */
export type Directions = Record<string, Direction>;

/** startHoldMusic (*inferred* representation): every stream `inactive` while held. */
export function held(participant: Participant): { participant: Participant; kept: Directions } | undefined {
	if (participant.mediaStreams.every((stream) => stream.direction === "inactive")) return undefined;
	const kept = Object.fromEntries(participant.mediaStreams.map((stream) => [stream.sourceId, stream.direction]));
	const mediaStreams = participant.mediaStreams.map((stream) => ({ ...stream, direction: "inactive" as const }));
	return { participant: { ...participant, mediaStreams }, kept };
}

/** stopHoldMusic: each held stream gets its direction back (a stream added meanwhile keeps its own). */
export function unheld(participant: Participant, kept: Directions): Participant | undefined {
	const mediaStreams = participant.mediaStreams.map((stream) =>
		stream.direction === "inactive" && Object.hasOwn(kept, stream.sourceId)
			? { ...stream, direction: kept[stream.sourceId] ?? stream.direction }
			: stream,
	);
	const changed = mediaStreams.some((stream, i) => stream.direction !== participant.mediaStreams[i]?.direction);
	return changed ? { ...participant, mediaStreams } : undefined;
}
