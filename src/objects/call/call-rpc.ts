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
import type { FaultDecision } from "../simulation/fault-decision";
import { applyAction, type CallAction, createOutgoing, readCall, startIncoming } from "./call-machine";
import { type CallOutcome, done, refused } from "./call-outcome";
import { type CallDocument, clearTimers, loadCall } from "./call-store";
import { scheduleSetup } from "./call-timers";
import { linkToMeeting, meetingLink, takeRosterChanges } from "./meeting-link";

/**
 * The call resource's RPC (src/objects/call/) and the actions that make operations, participants and
 * the far side (src/objects/media/): thin methods, one synchronous step each.
 */
export abstract class CallResourceRpc extends CallRequests {
	/**
	 * POST /communications/calls: the Worker built the call (and its id); stored `establishing`. A meeting
	 * join is linked to its meeting's object, or (the meeting refused it) ends its setup with that resultInfo.
	 */
	createCall(document: CallDocument, participants: Participant[], meeting?: MeetingJoin): Promise<CallOutcome<string>> {
		return this.callStep("createCall", true, (ctx) => {
			if (meeting?.refused) {
				const outcome = { state: "terminated" as const, resultInfo: meeting.refused };
				return createOutgoing(this.sql, document, participants, { ...ctx, calling: { ...ctx.calling, outcome } });
			}
			const created = createOutgoing(this.sql, document, participants, ctx);
			if (created.ok && meeting?.name) {
				linkToMeeting(this.sql, meeting.name, meeting.delta);
				// A bot in the lobby stays establishing until the meeting admits it (meetingAdmitted).
				if (meeting.inLobby) clearTimers(this.sql, "established", "audioActive");
			}
			return created;
		});
	}

	/** The meeting admitted the bot from its lobby: the call's setup goes on (established after setupMs). */
	meetingAdmitted(meetingName: string): Promise<CallOutcome<null>> {
		return this.callStep("meetingAdmitted", false, (ctx) => {
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
		document: CallDocument,
		participants: Participant[],
		answerTimeoutMs: number | undefined,
	): Promise<CallOutcome<string>> {
		return this.callStep("incomingCall", true, (ctx) => {
			const callbackUri = document.callbackUri ?? this.simulation.settings.effective?.callbackUri;
			if (typeof callbackUri !== "string") return refused("noCallbackUri");
			const timeout = answerTimeoutMs ?? ctx.calling.answerTimeoutMs;
			return startIncoming(this.sql, { ...document, callbackUri }, participants, timeout, ctx);
		});
	}

	async getCall(): Promise<CallOutcome<string>> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		// Logged in the same step as the read, so the live page's log keeps arrival order.
		return this.logged("getCall", this.wiped ? refused("callNotFound") : readCall(this.sql));
	}

	/** answer, reject, redirect, transfer, keepAlive, hang up (either side): CALL_REQUESTS says when. */
	callAction(action: CallAction): Promise<CallOutcome<null>> {
		return this.callStep(action.kind, false, (ctx) => applyAction(this.sql, action, ctx));
	}

	/** playPrompt, recordResponse, mute, invite …: one step for all (the Worker's table describes each). */
	async operationAction(request: ActionRequest): Promise<ActionOutcome> {
		let decision: FaultDecision | undefined;
		const outcome = await this.callStep<StoredOperation | null>(request.name, false, (ctx) => {
			decision = this.simulation.screen(request.name);
			if (decision.fault) return done(null);
			return applyOperationAction(this.sql, request, ctx, this.progression());
		});
		return actionOutcome(outcome, decision);
	}

	async participants() {
		return this.callRead((sql) => readParticipants(sql));
	}

	async participant(participantId: string) {
		return this.callRead((sql) => readParticipant(sql, participantId));
	}

	removeParticipant(participantId: string): Promise<CallOutcome<null>> {
		return this.callStep("deleteParticipant", false, (ctx) => deleteParticipant(this.sql, participantId, ctx));
	}

	pressTones(tones: string[], delayMs: number): Promise<CallOutcome<null>> {
		return this.callStep("tones", false, (ctx) => pressTones(this.sql, tones, delayMs, ctx));
	}

	changeRoster(change: { join: Record<string, unknown>[]; leave: string[] }): Promise<CallOutcome<null>> {
		return this.callStep("roster", false, (ctx) => changeRoster(this.sql, change, ctx));
	}

	supplyRecordingAudio(pcm: Uint8Array): Promise<CallOutcome<null>> {
		return this.callStep("recording", false, () => setNextRecordingAudio(this.sql, pcm));
	}

	/** A recording's WAV, only for its access token; undefined for anything else. */
	async recording(id: string, token: string): Promise<Uint8Array | undefined> {
		while (this.turns.running) await this.turns.running;
		return this.wiped ? undefined : readRecording(this.sql, id, token);
	}
}

type Participant = { id: string } & Record<string, unknown>;

/** How a new call joins a meeting: linked to the meeting's object by name, or refused with a resultInfo. */
export type MeetingJoin =
	| { name: string; delta: boolean; inLobby: boolean; refused?: undefined }
	| { refused: ReturnType<typeof resultInfoOf>; name?: undefined };
