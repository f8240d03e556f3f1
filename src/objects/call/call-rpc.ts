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
import { CallRequests } from "../requests/call-requests";
import type { FaultDecision } from "../simulation/fault-decision";
import { type GroupAnswer, type GroupRequest, routingGroups } from "./audio-routing-groups";
import { applyAction, type CallAction, createOutgoing, readCall, startIncoming } from "./call-machine";
import { type CallOutcome, done, refused } from "./call-outcome";
import type { CallDocument } from "./call-store";

/**
 * The call resource's RPC (src/objects/call/) and the actions that make operations, participants and
 * the far side (src/objects/media/): thin methods, one synchronous step each.
 */
export abstract class CallResourceRpc extends CallRequests {
	/** POST /communications/calls: the Worker built the call (and its id); stored `establishing`. */
	createCall(document: CallDocument, participants: Participant[]): Promise<CallOutcome<string>> {
		return this.callStep("createCall", true, (ctx) => createOutgoing(this.sql, document, participants, ctx));
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

	/** …/calls/{id}/audioRoutingGroups: reads in arrival order, writes as one step of the call. */
	audioRoutingGroups(request: GroupRequest): Promise<CallOutcome<GroupAnswer>> {
		if (request.kind === "list" || request.kind === "get") return this.callRead((sql) => routingGroups(sql, request));
		return this.callStep(`audioRoutingGroup.${request.kind}`, false, () => routingGroups(this.sql, request));
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
