import type { MediaType, StreamSpec } from "../../meetings/participant-shape";
import type { RecorderBot } from "../meeting/compliance-record";
import type { CallContext } from "./call-context";
import { asParticipantInfo } from "./call-document";
import { loadCall, type StoredCall, schedule } from "./call-store";
import { linkToMeeting, meetingLink } from "./meeting-link";

// The call of a compliance-recording bot (POST /_stub/compliance-calls): linked to its observed call (a
// meeting object), it tells that call what happens on its side, in order — the bot answered (its
// participant joins the observed call's roster), the recording status it reports, a recording deadline
// missed. The observed call decides what the policy does (src/objects/meeting/compliance-recording.ts).

export type RecorderNews =
	| { kind: "answered"; bot: RecorderBot }
	| { kind: "status"; status: string }
	| { kind: "recordingDeadline" };

type Row = { recording_timeout_ms: number | null; answered: number; recording_status: string | null; news: string };

const row = (sql: SqlStorage) => sql.exec<Row>("SELECT * FROM call_recorder").toArray()[0];

/** Stored with the ringing call: its observed call, and how long the bot has to report `recording` once it answered. */
export function linkRecorder(sql: SqlStorage, meetingName: string, recordingTimeoutMs: number | null): void {
	linkToMeeting(sql, meetingName, false);
	sql.exec("INSERT INTO call_recorder (only_row, recording_timeout_ms) VALUES (1, ?)", recordingTimeoutMs);
}

function push(sql: SqlStorage, found: Row, news: RecorderNews): void {
	sql.exec("UPDATE call_recorder SET news = ?", JSON.stringify([...(JSON.parse(found.news) as RecorderNews[]), news]));
}

/** updateRecordingStatus on a recorder's call: kept, and news for its observed call. Other calls: nothing. */
export function noteRecordingStatus(sql: SqlStorage, status: string): void {
	const found = row(sql);
	if (!found) return;
	sql.exec("UPDATE call_recorder SET recording_status = ?", status);
	push(sql, found, { kind: "status", status });
}

/** The recording deadline is due: news unless the bot reported `recording` by then (*inferred* deadline). */
export function recordingDeadlineDue(sql: SqlStorage): void {
	const found = row(sql);
	if (found && found.recording_status !== "recording") push(sql, found, { kind: "recordingDeadline" });
}

/** A recorder receives the call's media, one stream per modality (*inferred*: Graph documents no roster entry for it). */
const recorderStreams = (call: StoredCall): StreamSpec[] =>
	[...new Set((call.document.requestedModalities as string[] | undefined) ?? ["audio"])]
		.filter((modality): modality is MediaType => modality !== "unknown")
		.map((mediaType) => ({ mediaType, direction: "receiveOnly" }));

function recorderBot(call: StoredCall): RecorderBot {
	const target = ((call.document.targets as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
	const info = asParticipantInfo(target) as Record<string, unknown>;
	const { id: _id, ...rest } = info;
	return {
		id: String(call.document.myParticipantId),
		info: rest,
		identity: (target.identity ?? {}) as Record<string, unknown>,
		streams: recorderStreams(call),
	};
}

/**
 * Inside a transaction, after each step of the call: a bot that answered since is news (and its recording
 * deadline starts); everything its observed call has not heard, taken to be told now.
 */
export function recorderNewsToTell(
	sql: SqlStorage,
	ctx: CallContext,
): { meetingName: string; news: RecorderNews[] } | undefined {
	const found = row(sql);
	if (!found) return undefined; // every other call: one look at an empty table
	const link = meetingLink(sql);
	if (!link) return undefined;
	let news = JSON.parse(found.news) as RecorderNews[];
	const call = loadCall(sql);
	const answeredNow = found.answered === 0 && call && call.state !== "incoming" && call.state !== "terminated";
	if (answeredNow) {
		news = [{ kind: "answered", bot: recorderBot(call) }, ...news];
		if (found.recording_timeout_ms !== null) schedule(sql, ctx.nowMs + found.recording_timeout_ms, "recordingDeadline");
	}
	if (news.length === 0) return undefined;
	sql.exec("UPDATE call_recorder SET answered = ?, news = '[]'", answeredNow ? 1 : found.answered);
	return { meetingName: link.meetingName, news };
}
