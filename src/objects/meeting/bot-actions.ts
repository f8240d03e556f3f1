import type { BotAction, BotActionRefusal } from "../../meetings/bot-action";
import { type Directions, held, serverMuted, unheld, withRecordingStatus } from "../../meetings/participant-changes";
import { departed, type Participant } from "../../meetings/participant-shape";
import type { FanOut } from "./fan-out";
import type { MeetingFarSide } from "./far-side";
import type { MeetingStore } from "./meeting-store";
import type { RosterStore } from "./roster-store";

// A joined bot's own actions on the meeting (lobby, muteAll, its recording status, hold music), each a
// synchronous step inside the meeting's transaction, recorded as one roster change (several
// participants changed at once share its sequence number). Only a call joined to the meeting may act.

export type BotActionResult =
	| {
			ok: true;
			/** Calls of bots admitted from the lobby: they go on to established. */
			admittedCalls: string[];
			/** Calls of bots turned away from the lobby: they end. */
			removedCalls: string[];
	  }
	| BotActionRefusal;

/** An action that did what it asked, admitting and removing no call (fresh arrays for each answer). */
const done = (): BotActionResult & { ok: true } => ({ ok: true, admittedCalls: [], removedCalls: [] });

const NO_PARTICIPANT: BotActionRefusal = { ok: false, error: "participantNotFound" };
const notInLobby: BotActionRefusal = { ok: false, error: "invalid", message: "The participant is not in the lobby." };
/** Graph's rule (startHoldMusic); the refusal's code is *inferred*. */
const holdTaken: BotActionRefusal = {
	ok: false,
	error: "invalid",
	message: "Only one participant can be placed on hold at any given time.",
};

export class MeetingBotActions {
	constructor(
		private readonly sql: SqlStorage,
		private readonly store: MeetingStore,
		private readonly roster: RosterStore,
		private readonly fanOut: FanOut,
		private readonly farSide: MeetingFarSide,
	) {}

	apply(callId: string, action: BotAction): BotActionResult {
		const bot = this.fanOut.has(callId) ? this.roster.findByCall(callId) : undefined;
		if (!bot) return { ok: false, error: "callNotJoined" };
		switch (action.kind) {
			case "admitFromLobby": {
				const found = this.byId(action.participantId);
				if (!found) return NO_PARTICIPANT;
				if (!found.isInLobby) return notInLobby;
				const admitted = this.farSide.act(found.id, "admit");
				return { ...done(), admittedCalls: admitted.ok && admitted.admittedCall ? [admitted.admittedCall] : [] };
			}
			case "removeFromLobby": {
				const found = this.byId(action.participantId);
				if (!found) return NO_PARTICIPANT;
				if (!found.isInLobby) return notInLobby;
				return { ...done(), removedCalls: this.turnAway(found) };
			}
			case "admitAllFromLobby": {
				const waiting = this.roster.list().filter((one) => one.isInLobby);
				const admittedCalls = waiting.flatMap((one) => this.farSide.botCallOf(one.id) ?? []);
				for (const call of admittedCalls) this.fanOut.admitted(call);
				this.commit(waiting.map((one) => ({ ...one, isInLobby: false })));
				return { ...done(), admittedCalls };
			}
			case "muteAll": {
				const named = [...new Set(action.participantIds)].map((id) => this.byId(id));
				if (named.some((one) => one === undefined)) return NO_PARTICIPANT;
				const targets = action.participantIds.length
					? (named as Participant[])
					: this.roster.list().filter((one) => one.id !== bot.id);
				this.commit(targets.flatMap((one) => serverMuted(one) ?? []));
				return done();
			}
			case "muteSelf":
				this.commit(bot.isMuted === action.muted ? [] : [{ ...bot, isMuted: action.muted }]);
				return done();
			case "recordingStatus":
				this.commit([withRecordingStatus(bot, action.status) ?? []].flat());
				return done();
			case "hold": {
				const found = this.byId(action.participantId);
				if (!found) return NO_PARTICIPANT;
				return action.on ? this.hold(found) : this.unhold(found);
			}
		}
	}

	private byId(participantId: string): Participant | undefined {
		const found = this.roster.find(participantId);
		return found?.id === participantId ? found : undefined; // Graph names participants by id only
	}

	/** One roster change of `changed` (nothing when empty), each stamped with its sequence number. */
	private commit(changed: Participant[]): void {
		if (changed.length === 0) return;
		const seq = this.store.nextRosterSeq();
		const stamped = changed.map((one) => ({ ...one, rosterSequenceNumber: seq }));
		for (const one of stamped) this.roster.update(one);
		this.roster.record(seq, stamped);
	}

	/** Out of the lobby and the roster (*inferred* removedState reason); a bot's call is no longer joined. */
	private turnAway(found: Participant): string[] {
		const botCall = this.farSide.botCallOf(found.id);
		if (botCall) this.fanOut.remove(botCall);
		this.roster.remove(found.id);
		const seq = this.store.nextRosterSeq();
		const removedState = { "@odata.type": "#microsoft.graph.removedState" as const, reason: "removedFromLobby" };
		this.roster.record(seq, [{ ...departed(found, seq), removedState }]);
		return botCall ? [botCall] : [];
	}

	private hold(found: Participant): BotActionResult {
		this.sql.exec("DELETE FROM meeting_holds WHERE participant_id NOT IN (SELECT id FROM meeting_participants)");
		const holds = this.sql.exec<{ participant_id: string }>("SELECT participant_id FROM meeting_holds").toArray();
		if (holds.some((row) => row.participant_id !== found.id)) return holdTaken;
		if (holds.length) return done(); // already held
		const made = held(found);
		if (!made) return done();
		this.sql.exec(
			"INSERT INTO meeting_holds (participant_id, directions) VALUES (?, ?)",
			found.id,
			JSON.stringify(made.kept),
		);
		this.commit([made.participant]);
		return done();
	}

	private unhold(found: Participant): BotActionResult {
		const row = this.sql
			.exec<{ directions: string }>("DELETE FROM meeting_holds WHERE participant_id = ? RETURNING directions", found.id)
			.toArray()[0];
		const back = row ? unheld(found, JSON.parse(row.directions) as Directions) : undefined;
		if (back) this.commit([back]);
		return done(); // not held: nothing to take off (*inferred*)
	}
}
