import type { BotAction } from "../../meetings/bot-action";
import type { resultInfoOf } from "../../schema/result-info";
import type { StoredOperation } from "../call-results";
import { type ActionOutcome, type ActionRequest, actionOutcome } from "../media/action-request";
import { applyOperationAction } from "../media/apply-action";
import {
	changeRoster,
	deleteParticipant,
	pressTones,
	readParticipant,
	readParticipants,
	setNextRecordingAudio,
} from "../media/far-side";
import { readRecording } from "../media/recordings";
import type { CallReply } from "../meeting/fan-out";
import type { RosterChange } from "../meeting/roster-store";
import { nextDeliveryAt } from "../notifications/outbox";
import { CallRequests } from "../requests/call-requests";
import type { Answered } from "../requests/journal-answer";
import type { PendingRequest, RequestFacts } from "../requests/request-facts";
import type { FaultDecision } from "../simulation/fault-decision";
import { type GroupAnswer, type GroupRequest, routingGroups } from "./audio-routing-groups";
import { applyAction, type CallAction, createOutgoing, type NewCall, readCall, startIncoming } from "./call-machine";
import { type CallOutcome, done, refused } from "./call-outcome";
import { clearTimers, loadCall } from "./call-store";
import { scheduleSetup } from "./call-timers";
import { readContentSharing } from "./content-sharing";
import { finishMeetingAction, type MeetingActionStart, meetingRefusal, startMeetingAction } from "./meeting-actions";
import { linkToMeeting, meetingLink, takeRosterChanges } from "./meeting-link";
import { linkRecorder } from "./recorder-link";

/**
 * The call resource's RPC (src/objects/call/) and the actions that make operations, participants and
 * the far side (src/objects/media/): thin methods, one synchronous step each.
 */
export abstract class CallResourceRpc extends CallRequests {
	/**
	 * POST /communications/calls: the Worker built the call (and its id); stored `establishing`. A meeting
	 * join is linked to its meeting's object, or (the meeting refused it) ends its setup with that resultInfo.
	 */
	createCall(created: NewCall, facts?: RequestFacts, meeting?: MeetingJoin): Promise<CallOutcome<string>> {
		return this.callStep(
			true,
			(ctx) => {
				if (meeting?.refused) {
					const outcome = { state: "terminated" as const, resultInfo: meeting.refused };
					return createOutgoing(this.sql, created, { ...ctx, calling: { ...ctx.calling, outcome } });
				}
				const outcome = createOutgoing(this.sql, created, ctx);
				if (outcome.ok && meeting?.name) {
					linkToMeeting(this.sql, meeting.name, meeting.delta);
					// A bot in the lobby stays establishing until the meeting admits it (meetingAdmitted).
					if (meeting.inLobby) clearTimers(this.sql, "established", "audioActive");
				}
				return outcome;
			},
			facts,
		);
	}

	/** The meeting admitted the bot from its lobby: the call's setup goes on (established after setupMs). */
	meetingAdmitted(meetingName: string): Promise<CallOutcome<null>> {
		return this.callStep(false, (ctx) => {
			const call = loadCall(this.sql);
			if (call?.state !== "establishing" || meetingLink(this.sql)?.meetingName !== meetingName) return done(null);
			clearTimers(this.sql, "established", "audioActive");
			scheduleSetup(this.sql, ctx, "established");
			return done(null);
		});
	}

	/** The meeting's roster changes after the last this call took, in the meeting's order (meeting-link.ts). */
	async meetingChanges(meetingName: string, changes: RosterChange[]): Promise<CallReply> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		if (this.wiped) return { status: "unknown" };
		const ctx = this.callContext();
		const reply = this.ctx.storage.transactionSync(() => takeRosterChanges(this.sql, meetingName, changes, ctx));
		this.live.changed();
		const wake = this.nextWakeAt(nextDeliveryAt(this.sql));
		if (wake !== undefined) await this.clock.wakeBy(wake);
		return reply;
	}

	/** POST /_stub/incoming-calls: a callbackUri of null means the configured one (none: refused). */
	startIncomingCall(
		created: NewCall,
		answerTimeoutMs: number | undefined,
		facts?: RequestFacts,
		recorder?: { meetingName: string; recordingTimeoutMs: number | null },
	): Promise<CallOutcome<string>> {
		return this.callStep(
			true,
			(ctx) => {
				const callbackUri = created.document.callbackUri ?? this.simulation.settings.effective?.callbackUri;
				if (typeof callbackUri !== "string") return refused("noCallbackUri");
				const timeout = answerTimeoutMs ?? ctx.calling.answerTimeoutMs;
				const document = { ...created.document, callbackUri };
				const started = startIncoming(this.sql, { ...created, document }, timeout, ctx);
				// A compliance recorder's call: linked to its observed call (POST /_stub/compliance-calls).
				if (started.ok && recorder) linkRecorder(this.sql, recorder.meetingName, recorder.recordingTimeoutMs);
				return started;
			},
			facts,
		);
	}

	async getCall(facts?: RequestFacts): Promise<CallOutcome<string>> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		// Logged in the same step as the read, so the journal keeps arrival order.
		return this.logged(this.wiped ? refused("callNotFound") : readCall(this.sql), facts);
	}

	/** answer, reject, redirect, transfer, keepAlive, hang up (either side): CALL_REQUESTS says when. */
	callAction(action: CallAction, facts?: RequestFacts): Promise<CallOutcome<null>> {
		return this.callStep(false, (ctx) => applyAction(this.sql, action, ctx), facts);
	}

	/** playPrompt, recordResponse, mute, invite …: one step for all (the Worker's table describes each). */
	async operationAction(request: ActionRequest, facts?: RequestFacts): Promise<ActionOutcome> {
		if (request.meeting) return this.meetingAction(request, request.meeting.action, facts);
		let decision: FaultDecision | undefined;
		const outcome = await this.callStep<StoredOperation | null>(
			false,
			(ctx) => {
				decision = this.screened(request.name, facts);
				if (decision.fault) return done(null);
				return applyOperationAction(this.sql, request, ctx, this.progression());
			},
			facts,
		);
		return actionOutcome(outcome, decision);
	}

	/**
	 * An action whose effect is the meeting's (meeting-actions.ts): checked in the call's order (the fault
	 * plan first, as every action), applied by the meeting in its order, then stored here and answered.
	 * A hang-up that reaches the meeting first makes the meeting refuse it: the bot hears 404, and nothing
	 * changed; one that comes after finds the change made and the operation answered.
	 */
	private async meetingAction(request: ActionRequest, action: BotAction, facts?: RequestFacts): Promise<ActionOutcome> {
		let decision: FaultDecision | undefined;
		const pending: PendingRequest | undefined = facts;
		const started = await this.callStep<MeetingActionStart>(false, (ctx) => {
			decision = this.screened(request.name, pending);
			if (decision.fault) return done({ answered: null });
			return startMeetingAction(this.sql, request, ctx, this.progression());
		});
		const incarnation = this.incarnation;
		if (!started.ok) return actionOutcome(this.logged(started, pending), decision);
		if ("answered" in started.value) return actionOutcome(this.logged(done(started.value.answered), pending), decision);
		const reply = await this.env.MEETINGS.getByName(started.value.ask).botAction(this.call.callId, action);
		if (!this.isCurrent(incarnation)) return refused("callNotFound"); // reset meanwhile: nothing to keep it in
		if (!reply.ok) return this.logged(meetingRefusal<StoredOperation | null>(reply), pending);
		const stored = await this.callStep(
			false,
			(ctx) => finishMeetingAction(this.sql, request, ctx, this.progression()),
			pending,
		);
		return actionOutcome(stored, decision);
	}

	async participants(facts?: RequestFacts) {
		return this.callRead((sql) => readParticipants(sql), facts);
	}

	async participant(participantId: string, facts?: RequestFacts) {
		return this.callRead((sql) => readParticipant(sql, participantId), facts);
	}

	removeParticipant(participantId: string, facts?: RequestFacts): Promise<CallOutcome<null>> {
		return this.callStep(false, (ctx) => deleteParticipant(this.sql, participantId, ctx), facts);
	}

	pressTones(tones: string[], delayMs: number, facts?: RequestFacts): Promise<CallOutcome<null>> {
		return this.callStep(false, (ctx) => pressTones(this.sql, tones, delayMs, ctx), facts);
	}

	changeRoster(
		change: { join: Record<string, unknown>[]; leave: string[] },
		facts?: RequestFacts,
	): Promise<CallOutcome<null>> {
		return this.callStep(false, (ctx) => changeRoster(this.sql, change, ctx), facts);
	}

	/** …/calls/{id}/audioRoutingGroups: reads in arrival order, writes as one step of the call. */
	audioRoutingGroups(request: GroupRequest, facts?: RequestFacts): Promise<CallOutcome<GroupAnswer>> {
		if (request.kind === "list" || request.kind === "get")
			return this.callRead((sql) => routingGroups(sql, request), facts);
		return this.callStep(false, () => routingGroups(this.sql, request), facts);
	}

	/** …/calls/{id}/contentSharingSessions[/{sessionId}]: read in arrival order (content-sharing.ts). */
	async contentSharingSessions(sessionId: string | undefined, facts?: RequestFacts) {
		return this.callRead((sql) => readContentSharing(sql, sessionId), facts);
	}

	supplyRecordingAudio(pcm: Uint8Array, facts?: RequestFacts): Promise<CallOutcome<null>> {
		return this.callStep(false, () => setNextRecordingAudio(this.sql, pcm), facts);
	}

	/** A recording's WAV, only for its access token; undefined for anything else (journaled as a 401). */
	async recording(id: string, token: string, facts?: RequestFacts): Promise<Uint8Array | undefined> {
		while (this.turns.running) await this.turns.running;
		const wav = this.wiped ? undefined : readRecording(this.sql, id, token);
		if (facts) this.logged(wav ? done(`<audio/wav, ${wav.byteLength} bytes>`) : UNAUTHORIZED, facts);
		return wav;
	}
}

const UNAUTHORIZED: Answered = {
	ok: false,
	error: "decided",
	outcome: "unauthorized",
	status: 401,
	code: "InvalidAuthenticationToken",
	message: "The recording's access token is missing or wrong.",
};

/** How a new call joins a meeting: linked to the meeting's object by name, or refused with a resultInfo. */
export type MeetingJoin =
	| { name: string; delta: boolean; inLobby: boolean; refused?: undefined }
	| { refused: ReturnType<typeof resultInfoOf>; name?: undefined };
