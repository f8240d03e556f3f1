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
import type { Answered } from "../requests/journal-answer";
import type { PendingRequest, RequestFacts } from "../requests/request-facts";
import type { FaultDecision } from "../simulation/fault-decision";
import { type GroupAnswer, type GroupRequest, routingGroups } from "./audio-routing-groups";
import { applyAction, type CallAction, createOutgoing, type NewCall, readCall, startIncoming } from "./call-machine";
import { type CallOutcome, done, refused } from "./call-outcome";

/**
 * The call resource's RPC (src/objects/call/) and the actions that make operations, participants and
 * the far side (src/objects/media/): thin methods, one synchronous step each.
 */
export abstract class CallResourceRpc extends CallRequests {
	/** POST /communications/calls: the Worker built the call (and its id); stored `establishing`. */
	createCall(created: NewCall, facts?: RequestFacts): Promise<CallOutcome<string>> {
		return this.callStep(true, (ctx) => createOutgoing(this.sql, created, ctx), facts);
	}

	/** POST /_stub/incoming-calls: a callbackUri of null means the configured one (none: refused). */
	startIncomingCall(
		created: NewCall,
		answerTimeoutMs: number | undefined,
		facts?: RequestFacts,
	): Promise<CallOutcome<string>> {
		return this.callStep(
			true,
			(ctx) => {
				const callbackUri = created.document.callbackUri ?? this.simulation.settings.effective?.callbackUri;
				if (typeof callbackUri !== "string") return refused("noCallbackUri");
				const timeout = answerTimeoutMs ?? ctx.calling.answerTimeoutMs;
				return startIncoming(this.sql, { ...created, document: { ...created.document, callbackUri } }, timeout, ctx);
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
		let decision: FaultDecision | undefined;
		const pending: PendingRequest | undefined = facts;
		const outcome = await this.callStep<StoredOperation | null>(
			false,
			(ctx) => {
				decision = this.simulation.screen(request.name);
				if (pending) Object.assign(pending, { fault: decision.fault, delayMs: decision.delayMs });
				if (decision.fault) return done(null);
				return applyOperationAction(this.sql, request, ctx, this.progression());
			},
			pending,
		);
		return actionOutcome(outcome, decision);
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
