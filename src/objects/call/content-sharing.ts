import type { Participant } from "../../meetings/participant-shape";
import { enqueue, notificationsEnvelope } from "../notifications/outbox";
import type { CallContext } from "./call-context";
import { callResourceUrl } from "./call-notifications";
import { type CallOutcome, done, refused } from "./call-outcome";
import { loadCall, type StoredCall } from "./call-store";

// A meeting call's content sharing sessions (Graph's contentSharingSession), followed from the roster the
// call takes: a participant who sends a videoBasedScreenSharing stream shares; the session begins when
// the call first sees that and ends when the stream stops being sent (or its sender leaves). With
// `callOptions.isContentSharingNotificationEnabled` the bot hears `created` / `deleted` on
// …/contentsharingsessions, in the same outbox and order as the roster notifications.

export type ContentSharingSession = {
	"@odata.type": "#microsoft.graph.contentSharingSession";
	id: string;
	/** beta only (the per-version view drops it on v1.0). */
	presenterParticipantId: string;
};

type SessionRow = { id: string; presenter_id: string; source_id: string };
type Share = { presenterId: string; sourceId: string };

const session = (row: SessionRow): ContentSharingSession => ({
	"@odata.type": "#microsoft.graph.contentSharingSession",
	id: row.id,
	presenterParticipantId: row.presenter_id,
});

const rows = (sql: SqlStorage) =>
	sql.exec<SessionRow>("SELECT id, presenter_id, source_id FROM content_sharing_sessions ORDER BY seq").toArray();

/** Who shares in `roster`: each present participant sending a screen-sharing stream (its sourceId). */
function sharesIn(roster: Participant[]): Share[] {
	return roster.flatMap((one) => {
		if (one.removedState) return [];
		const stream = one.mediaStreams.find(
			(s) => s.mediaType === "videoBasedScreenSharing" && (s.direction === "sendOnly" || s.direction === "sendReceive"),
		);
		return stream ? [{ presenterId: one.id, sourceId: stream.sourceId }] : [];
	});
}

/** Whether the bot asked for content sharing notifications (on its join, or its answer). */
const wanted = (call: StoredCall) =>
	(call.document.callOptions as { isContentSharingNotificationEnabled?: unknown } | null | undefined)
		?.isContentSharingNotificationEnabled === true;

function notify(
	sql: SqlStorage,
	call: StoredCall,
	ctx: CallContext,
	changeType: "created" | "deleted",
	sessions: SessionRow[],
) {
	if (!sessions.length || !wanted(call)) return;
	// The collection's URL in lower case, as the docs' example (application-post-calls) writes it.
	const resourceUrl = `${callResourceUrl(call.document.id)}/contentsharingsessions`;
	const payload = notificationsEnvelope(changeType, resourceUrl, sessions.map(session), call.version);
	enqueue(
		sql,
		{ operationId: "", changeType, payload, resourceUrl, callbackUri: call.callbackUri },
		ctx.nowMs,
		ctx.nowIso,
	);
}

/**
 * The sessions after a roster the call took: ended shares are deleted, new ones get an id. `tell`: the
 * call is connected, so the bot hears of them (ended first, then begun), right after that roster's own
 * notification.
 */
export function followSharing(
	sql: SqlStorage,
	call: StoredCall,
	roster: Participant[],
	ctx: CallContext,
	tell: boolean,
) {
	const shares = sharesIn(roster);
	const before = rows(sql);
	const ended = before.filter(
		(row) => !shares.some((share) => share.presenterId === row.presenter_id && share.sourceId === row.source_id),
	);
	for (const row of ended) sql.exec("DELETE FROM content_sharing_sessions WHERE id = ?", row.id);
	const begun: SessionRow[] = [];
	for (const share of shares) {
		if (before.some((row) => row.presenter_id === share.presenterId && row.source_id === share.sourceId)) continue;
		const row = { id: crypto.randomUUID(), presenter_id: share.presenterId, source_id: share.sourceId };
		sql.exec(
			"INSERT INTO content_sharing_sessions (id, presenter_id, source_id) VALUES (?, ?, ?)",
			row.id,
			row.presenter_id,
			row.source_id,
		);
		begun.push(row);
	}
	if (!tell) return;
	notify(sql, call, ctx, "deleted", ended);
	notify(sql, call, ctx, "created", begun);
}

/** When the call becomes established: the shares already under way, after the first roster (*inferred*). */
export function sharingOnConnect(sql: SqlStorage, call: StoredCall, ctx: CallContext): void {
	notify(sql, { ...call, state: "established" }, ctx, "created", rows(sql));
}

/** GET …/contentSharingSessions[/{id}]: the list, one session, or null (no such session). */
export function readContentSharing(
	sql: SqlStorage,
	sessionId?: string,
): CallOutcome<ContentSharingSession[] | ContentSharingSession | null> {
	const call = loadCall(sql);
	if (!call || call.state === "terminated") return refused("callNotFound");
	const sessions = rows(sql).map(session);
	if (sessionId === undefined) return done(sessions);
	return done(sessions.find((one) => one.id === sessionId) ?? null);
}
