import type { Participant, StreamSpec } from "../../meetings/participant-shape";
import type { MeetingSettings } from "./meeting-store";

// What a compliance recording keeps (one JSON row in the observed call's meeting), what its requests
// carry across RPC, and the view a tester reads (compliance-recording.ts applies them).

type RecordingPolicyFlags = {
	name: string;
	requiredBeforeCallEstablishment: boolean;
	requiredDuringCall: boolean;
	requiredBeforeMeetingJoin: boolean;
	requiredDuringMeeting: boolean;
};

export type EndedReason = "hungUp" | "recorderDidNotJoin" | "recorderLeft" | "recordingNotStarted";

export type ComplianceRecord = {
	kind: "oneToOne" | "meeting";
	observedParticipantId: string;
	recorderCallId: string;
	policy: RecordingPolicyFlags;
	answerTimeoutMs: number;
	recordingTimeoutMs: number | null;
	/** The observed person's call: establishing until the recorder is in (or the policy lets it go on without). */
	state: "establishing" | "established" | "terminated";
	recorder: "ringing" | "joined" | "left";
	recordingStatus: string | null;
	endedReason: EndedReason | null;
	events: { at: string; event: string }[];
};

export type RecorderBot = {
	id: string;
	info: Record<string, unknown>;
	identity: Record<string, unknown>;
	streams: StreamSpec[];
};

export type ComplianceRequest =
	| { kind: "start"; record: ComplianceRecord }
	| { kind: "view" }
	| { kind: "hangUp" }
	| { kind: "answered"; callId: string; bot: RecorderBot }
	| { kind: "status"; callId: string; status: string }
	| { kind: "recordingDeadline"; callId: string };

export type ComplianceView = ReturnType<typeof complianceView>;

/** GET /_stub/compliance-calls/{id}: the observed call as a tester reads it (a stub extension's own shape). */
export function complianceView(settings: MeetingSettings, record: ComplianceRecord, roster: Participant[]) {
	return {
		id: settings.id,
		kind: record.kind,
		state: record.state,
		endedReason: record.endedReason,
		observedParticipantId: record.observedParticipantId,
		policy: record.policy,
		answerTimeoutMs: record.answerTimeoutMs,
		recordingTimeoutMs: record.recordingTimeoutMs,
		recorder: { callId: record.recorderCallId, state: record.recorder, recordingStatus: record.recordingStatus },
		participants: roster,
		events: record.events,
	};
}
