import { applyPersonAction, departed, type Participant, type PersonAction } from "../../meetings/participant-shape";
import type { FanOut } from "./fan-out";
import { waitsInLobby } from "./lobby";
import type { MeetingSettings, MeetingStore } from "./meeting-store";
import { admit, type PersonSpec } from "./people";
import type { RosterStore } from "./roster-store";

// What the far side of a meeting does — someone joins, leaves, mutes, shares, is admitted — each a
// synchronous step inside the caller's transaction, recorded as one roster change. The tester's
// controls and the meeting's script both go through here.

export type FarSideResult =
	| { ok: true; participant: Participant; changed: boolean; admittedCall?: string | undefined }
	| { ok: false; notFound: boolean; message: string };

const refused = (message: string, notFound = false): FarSideResult => ({ ok: false, notFound, message });

export class MeetingFarSide {
	constructor(
		private readonly sql: SqlStorage,
		private readonly store: MeetingStore,
		private readonly roster: RosterStore,
		private readonly fanOut: FanOut,
	) {}

	/** `at` prefixes a field in a refusal (`participants[2].`, `script[4].person.`). */
	join(settings: MeetingSettings, person: PersonSpec, at = ""): FarSideResult {
		if (this.roster.count() >= settings.maxParticipants)
			return refused(`The meeting holds at most ${settings.maxParticipants} participants.`);
		if (person.key !== undefined && this.roster.hasKey(person.key))
			return refused(`${at}key: '${person.key}' is already in this meeting`);
		const isInLobby = waitsInLobby(settings.lobby, person.identity, settings.organizer);
		const seq = this.store.rosterSeq() + 1;
		const made = admit(
			{ ...person, id: crypto.randomUUID(), isInLobby },
			this.roster.sourceIds(),
			() => this.store.nextSourceId(),
			seq,
		);
		if (typeof made === "string") return refused(`${at}streams: ${made}`);
		this.store.nextRosterSeq();
		this.roster.add(made, { key: person.key });
		this.roster.record(seq, [made]);
		return { ok: true, participant: made, changed: true };
	}

	leave(idOrKey: string): FarSideResult {
		const found = this.roster.find(idOrKey);
		if (!found) return refused("Participant not found in this meeting.", true);
		if (this.botCallOf(found.id)) return refused("That participant is a bot's call: hang the call up instead.");
		this.roster.remove(found.id);
		const seq = this.store.nextRosterSeq();
		const gone = departed(found, seq);
		this.roster.record(seq, [gone]);
		return { ok: true, participant: gone, changed: true };
	}

	act(idOrKey: string, action: PersonAction): FarSideResult {
		const found = this.roster.find(idOrKey);
		if (!found) return refused("Participant not found in this meeting.", true);
		const next = applyPersonAction(found, action, () => this.store.nextSourceId());
		if (!next) return { ok: true, participant: found, changed: false }; // already so: nothing to tell
		const seq = this.store.nextRosterSeq();
		const stamped = { ...next, rosterSequenceNumber: seq };
		this.roster.update(stamped);
		this.roster.record(seq, [stamped]);
		const botCall = action === "admit" ? this.botCallOf(found.id) : undefined;
		if (botCall) this.fanOut.admitted(botCall);
		return { ok: true, participant: stamped, changed: true, admittedCall: botCall };
	}

	/** The call whose bot this participant is, if it is one. */
	botCallOf(participantId: string): string | undefined {
		return (
			this.sql
				.exec<{ call_id: string | null }>("SELECT call_id FROM meeting_participants WHERE id = ?", participantId)
				.toArray()[0]?.call_id ?? undefined
		);
	}
}
