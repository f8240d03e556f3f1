import { dropFromRoutingGroups } from "../call/audio-routing-groups";
import type { CallContext } from "../call/call-context";
import { asParticipantInfo, participant } from "../call/call-document";
import { callResourceUrl } from "../call/call-notifications";
import { addParticipant, type StoredCall } from "../call/call-store";
import { enqueue, notificationsEnvelope } from "../notifications/outbox";

// The call's participants and the roster notification: `updated` on …/participants whose resourceData
// is an array of whole participants (the whole roster: Graph's default, non-delta roster).

export type Participant = { id: string } & Record<string, unknown>;

/** Participants kept per call: a roster change beyond this is refused. */
export const MAX_PARTICIPANTS = 250;

export const listParticipants = (sql: SqlStorage): Participant[] =>
	sql
		.exec<{ body: string }>("SELECT body FROM call_participants ORDER BY seq")
		.toArray()
		.map((row) => JSON.parse(row.body) as Participant);

export const findParticipant = (sql: SqlStorage, id: string): Participant | undefined => {
	const row = sql.exec<{ body: string }>("SELECT body FROM call_participants WHERE id = ?", id).toArray()[0];
	return row ? (JSON.parse(row.body) as Participant) : undefined;
};

export const participantCount = (sql: SqlStorage) =>
	sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM call_participants").one().n;

export function removeParticipant(sql: SqlStorage, id: string): boolean {
	const removed = sql.exec("DELETE FROM call_participants WHERE id = ?", id).rowsWritten > 0;
	if (removed) dropFromRoutingGroups(sql, id); // who left routes no audio
	return removed;
}

/** The bot's own participant (myParticipantId); made from the call's bot side when the roster lacks it. */
export function botParticipant(sql: SqlStorage, call: StoredCall): Participant {
	const id = String(call.document.myParticipantId);
	const found = findParticipant(sql, id);
	if (found) return found;
	const targets = call.document.targets as unknown[] | undefined;
	// An incoming call's bot side is its first target, an invitationParticipantInfo.
	const info = call.direction === "outgoing" ? call.document.source : asParticipantInfo(targets?.[0]);
	const made = participant(id, info ?? null);
	addParticipant(sql, made);
	return made;
}

/** Changes a participant in place (it keeps its place in the roster). */
export function updateParticipant(sql: SqlStorage, one: Participant): void {
	sql.exec("UPDATE call_participants SET body = ? WHERE id = ?", JSON.stringify(one), one.id);
}

/** A roster notification: the call's own participants, or those given (a meeting's roster, or what changed). */
export function notifyRoster(
	sql: SqlStorage,
	call: StoredCall,
	ctx: CallContext,
	participants: unknown[] = listParticipants(sql),
): void {
	const resourceUrl = `${callResourceUrl(call.document.id)}/participants`;
	const payload = notificationsEnvelope("updated", resourceUrl, participants, call.version);
	enqueue(
		sql,
		{ operationId: "", changeType: "updated", payload, resourceUrl, callbackUri: call.callbackUri },
		ctx.nowMs,
		ctx.nowIso,
	);
}

/** An invitee or a joining caller, as a participant of the call. */
export const joined = (info: Record<string, unknown>): Participant => {
	return {
		...participant(crypto.randomUUID(), asParticipantInfo(info)),
		mediaStreams: [
			{
				"@odata.type": "#microsoft.graph.mediaStream",
				mediaType: "audio",
				label: "main-audio",
				sourceId: String(Math.floor(Math.random() * 900) + 100),
				direction: "sendReceive",
				serverMuted: false,
			},
		],
	};
};
