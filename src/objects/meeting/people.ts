import {
	mediaStream,
	meetingParticipant,
	type Participant,
	type ParticipantSpec,
	type StreamSpec,
} from "../../meetings/participant-shape";

// Someone joining the meeting, as the tester or a bot's join describes them, made into a participant
// with sourceIds unique in the meeting.

export type PersonSpec = {
	key?: string | undefined;
	identity: Record<string, unknown>;
	streams?: StreamSpec[] | undefined;
	isMuted?: boolean | undefined;
	metadata?: string | null | undefined;
};

/** Someone sends audio unless told otherwise. */
const DEFAULT_STREAMS: StreamSpec[] = [{ mediaType: "audio", direction: "sendReceive" }];

/**
 * The participant, or why not: a sourceId the tester chose must be unused in the meeting (`inUse`,
 * updated as this person's streams take theirs).
 */
export function admit(
	person: PersonSpec & { id: string; info?: Record<string, unknown> | undefined; isInLobby?: boolean },
	inUse: Set<string>,
	newSourceId: () => string,
	rosterSequenceNumber: number,
): Participant | string {
	const streams = [];
	for (const spec of person.streams ?? DEFAULT_STREAMS) {
		if (spec.sourceId !== undefined && inUse.has(spec.sourceId))
			return `sourceId '${spec.sourceId}' is already used in this meeting`;
		let sourceId = spec.sourceId;
		while (sourceId === undefined || inUse.has(sourceId)) sourceId = newSourceId();
		inUse.add(sourceId);
		streams.push(mediaStream({ ...spec, sourceId }, sourceId));
	}
	const spec: ParticipantSpec = {
		id: person.id,
		identity: person.identity,
		streams,
		isMuted: person.isMuted,
		isInLobby: person.isInLobby,
		metadata: person.metadata,
		info: person.info,
	};
	return meetingParticipant(spec, rosterSequenceNumber);
}

export type { Participant };
