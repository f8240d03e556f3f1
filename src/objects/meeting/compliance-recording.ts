import { departed, type Participant } from "../../meetings/participant-shape";
import { resultInfoOf } from "../../schema/result-info";
import {
	type ComplianceRecord,
	type ComplianceRequest,
	type ComplianceView,
	complianceView,
	type EndedReason,
	type RecorderBot,
} from "./compliance-record";
import type { FanOut } from "./fan-out";
import { conflict, fine, type MeetingOutcome, noMeeting } from "./meeting-outcome";
import type { MeetingSettings, MeetingStore } from "./meeting-store";
import { admit } from "./people";
import type { RosterStore } from "./roster-store";

// A meeting made as the observed call of a compliance (policy-based) recording: the person under the
// policy, the recording bot's call, and what the policy does when the bot is missing. Teams documents the
// flags (New-CsTeamsComplianceRecordingApplication, all true by default): a call "will be cancelled" if
// the recorder fails to join (RequiredBeforeCallEstablishment) or leaves (RequiredDuringCall); in a
// meeting the user "will not be allowed to join" (RequiredBeforeMeetingJoin) or "will be ejected"
// (RequiredDuringMeeting) while the meeting goes on for the others. How the stub shows that (the people
// leave the roster, the recorder's call ends 200/5002) is *inferred*, as is the recording deadline.

/** The recorder's call when its observed call ends (*inferred*: Graph's "all other participants have left"). */
export const OBSERVED_CALL_ENDED = resultInfoOf(200, 5002, "The conversation has ended. DiagCode: 0#5002.@");
const MAX_EVENTS = 50;

type Step = { outcome: MeetingOutcome<ComplianceView | null>; tell: string[] };

export type RecordingHooks = {
	incarnation: () => number;
	transaction: <T>(step: () => T) => T;
	/** The recorder's call (or another joined call) ends because the observed call did. */
	endCall: (callId: string) => Promise<void>;
};

export class ComplianceRecording {
	constructor(
		private readonly sql: SqlStorage,
		private readonly store: MeetingStore,
		private readonly roster: RosterStore,
		private readonly fanOut: FanOut,
		private readonly hooks: RecordingHooks,
	) {}

	private load(): ComplianceRecord | undefined {
		const row = this.sql.exec<{ body: string }>("SELECT body FROM compliance_recording").toArray()[0];
		return row ? (JSON.parse(row.body) as ComplianceRecord) : undefined;
	}

	private save(record: ComplianceRecord): void {
		this.sql.exec(
			"INSERT INTO compliance_recording (only_row, recorder_call_id, body) VALUES (1, ?, ?) ON CONFLICT (only_row) DO UPDATE SET body = excluded.body",
			record.recorderCallId,
			JSON.stringify(record),
		);
	}

	/** One request: applied in one transaction, the roster fanned out, then the calls it ended are told. */
	async handle(settings: MeetingSettings, request: ComplianceRequest): Promise<MeetingOutcome<ComplianceView | null>> {
		const incarnation = this.hooks.incarnation();
		const { outcome, tell } = this.hooks.transaction(() => this.step(settings, request));
		await this.finish(incarnation, tell);
		return outcome;
	}

	/** The recorder's call ended (answer timeout, rejected, hung up, dropped): the policy decides what follows. */
	async recorderLeft(callId: string): Promise<void> {
		const incarnation = this.hooks.incarnation();
		const tell = this.hooks.transaction(() => {
			const record = this.load();
			if (!record || record.recorderCallId !== callId || record.recorder === "left") return [];
			const before = record.recorder === "ringing";
			record.recorder = "left";
			this.note(record, before ? "recorderDidNotJoin" : "recorderLeft");
			const tell = this.enforce(record, before ? "recorderDidNotJoin" : "recorderLeft", before);
			this.save(record);
			return tell;
		});
		await this.finish(incarnation, tell);
	}

	private async finish(incarnation: number, tell: string[]): Promise<void> {
		await this.fanOut.run();
		for (const callId of tell) {
			if (this.hooks.incarnation() !== incarnation) return;
			await this.hooks.endCall(callId);
		}
	}

	private step(settings: MeetingSettings, request: ComplianceRequest): Step {
		const none = (outcome: MeetingOutcome<ComplianceView | null>): Step => ({ outcome, tell: [] });
		if (request.kind === "start") {
			if (this.load()) return none(conflict("This meeting already has a compliance recording."));
			this.note(request.record, "recorderInvited");
			this.save(request.record);
			return none(fine(complianceView(settings, request.record, this.roster.list())));
		}
		const record = this.load();
		if (!record) return none(noMeeting());
		if (request.kind === "view") return none(fine(complianceView(settings, record, this.roster.list())));
		if (request.kind === "hangUp") {
			if (record.state === "terminated") return none(conflict("The observed call has already ended."));
			const tell = this.end(record, "hungUp");
			return { outcome: fine(complianceView(settings, record, this.roster.list())), tell };
		}
		// The rest come from the recorder's own call.
		if (record.recorderCallId !== request.callId) return none(noMeeting());
		switch (request.kind) {
			case "answered":
				if (record.recorder !== "ringing" || record.state === "terminated") return none(noMeeting());
				this.join(request.callId, request.bot);
				record.recorder = "joined";
				if (record.state === "establishing") record.state = "established";
				this.note(record, "recorderJoined");
				break;
			case "status":
				record.recordingStatus = request.status;
				this.note(record, `recordingStatus:${request.status}`);
				break;
			case "recordingDeadline":
				if (record.recordingStatus === "recording" || record.state === "terminated") break;
				this.note(record, "recordingNotStarted");
				return { outcome: fine(null), tell: this.enforce(record, "recordingNotStarted", false) };
		}
		this.save(record);
		return none(fine(null));
	}

	/** The recorder's bot enters the roster (its call exists: changes go to it from now on). */
	private join(callId: string, bot: RecorderBot): void {
		this.fanOut.add(callId, Date.now(), null);
		this.fanOut.markReady(callId);
		const seq = this.store.nextRosterSeq();
		const made = admit({ ...bot, isInLobby: false }, this.roster.sourceIds(), () => this.store.nextSourceId(), seq);
		if (typeof made === "string") throw new Error(made); // the stub's own streams never clash
		this.roster.add(made, { callId });
		this.roster.record(seq, [made]);
	}

	/** The recorder is missing: with the policy's flag (before or during) set, the observed call ends. */
	private enforce(record: ComplianceRecord, reason: EndedReason, before: boolean): string[] {
		const required =
			record.kind === "oneToOne"
				? before
					? record.policy.requiredBeforeCallEstablishment
					: record.policy.requiredDuringCall
				: before
					? record.policy.requiredBeforeMeetingJoin
					: record.policy.requiredDuringMeeting;
		if (record.state === "terminated") return [];
		if (required) return this.end(record, reason);
		if (record.state === "establishing") record.state = "established"; // it goes on unrecorded
		this.save(record);
		return [];
	}

	/**
	 * The observed call ends: a one-to-one call for both people (every joined call ends with it), a meeting
	 * for the observed person only (it goes on for the rest). The recorder's call ends if it has not.
	 */
	private end(record: ComplianceRecord, reason: EndedReason): string[] {
		const people = this.sql
			.exec<{ id: string }>("SELECT id FROM meeting_participants WHERE call_id IS NULL ORDER BY seq")
			.toArray()
			.map((row) => row.id)
			.filter((id) => record.kind === "oneToOne" || id === record.observedParticipantId);
		const leaving = people.flatMap((id) => this.roster.find(id) ?? []);
		if (leaving.length) {
			for (const one of leaving) this.roster.remove(one.id);
			const seq = this.store.nextRosterSeq();
			this.roster.record(
				seq,
				leaving.map((one: Participant) => departed(one, seq)),
			);
		}
		record.state = "terminated";
		record.endedReason = reason;
		this.note(record, `observedCallEnded:${reason}`);
		this.save(record);
		const joined = record.kind === "oneToOne" ? this.fanOut.calls().map((call) => call.call_id) : [];
		const recorder = record.recorder === "left" ? [] : [record.recorderCallId];
		return [...new Set([...recorder, ...joined])];
	}

	private note(record: ComplianceRecord, event: string): void {
		record.events = [...record.events, { at: new Date().toISOString(), event }].slice(-MAX_EVENTS);
	}
}
