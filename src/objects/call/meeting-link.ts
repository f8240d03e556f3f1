import { MAX_RECORD_PARTICIPANTS } from "../../calls/call-record";
import type { Participant } from "../../meetings/participant-shape";
import { notifyRoster } from "../media/roster";
import type { CallReply } from "../meeting/fan-out";
import type { RosterChange } from "../meeting/roster-store";
import type { CallContext } from "./call-context";
import { loadCall, type StoredCall } from "./call-store";
import { followSharing, sharingOnConnect } from "./content-sharing";

// A call joined to a meeting: the link to the meeting's object, the last roster change the call took,
// and the roster notifications it makes of the meeting's changes, in the meeting's order, through the
// call's own outbox. The meeting is the one ordering domain for the roster; the call only keeps up.

type LinkRow = { meeting_name: string; delta: number; roster_seq: number };

type MeetingLink = { meetingName: string; delta: boolean; rosterSeq: number };

/** The call's meeting, if it joined one (its roster is read apart: linkedRoster). */
export function meetingLink(sql: SqlStorage): MeetingLink | undefined {
	const row = sql.exec<LinkRow>("SELECT meeting_name, delta, roster_seq FROM call_meeting").toArray()[0];
	return row && { meetingName: row.meeting_name, delta: row.delta === 1, rosterSeq: row.roster_seq };
}

/** A meeting call's roster as it last took it; undefined for a call in no meeting. */
export function linkedRoster(sql: SqlStorage): Participant[] | undefined {
	const row = sql.exec<{ roster: string }>("SELECT roster FROM call_meeting").toArray()[0];
	return row && (JSON.parse(row.roster) as Participant[]);
}

/** Stored with the call when it is created to join a meeting. */
export function linkToMeeting(sql: SqlStorage, meetingName: string, delta: boolean): void {
	sql.exec("INSERT INTO call_meeting (only_row, meeting_name, delta) VALUES (1, ?, ?)", meetingName, delta ? 1 : 0);
}

/** Roster notifications start once the call is established (research §1.4: after `established`). */
const connected = (call: StoredCall) => call.state !== "incoming" && call.state !== "establishing";

/**
 * The meeting's changes after the last one this call took, in order: each becomes a roster notification
 * (the whole roster, or only what changed when the bot asked for the delta roster); the first one the
 * call sends is always the whole roster. A call that ended, or that belongs to another meeting, takes none.
 */
export function takeRosterChanges(
	sql: SqlStorage,
	meetingName: string,
	changes: RosterChange[],
	ctx: CallContext,
): CallReply {
	const call = loadCall(sql);
	if (!call) return { status: "unknown" };
	const link = meetingLink(sql);
	if (!link || link.meetingName !== meetingName || call.state === "terminated") return { status: "gone" };
	const fresh = changes.filter((change) => change.seq > link.rosterSeq);
	const last = fresh.at(-1);
	if (!last) return { status: "taken", seq: link.rosterSeq };
	if (!connected(call)) followSharing(sql, call, last.roster, ctx, false);
	else if (link.rosterSeq === 0) {
		notifyRoster(sql, call, ctx, last.roster);
		followSharing(sql, call, last.roster, ctx, true);
	} else
		for (const change of fresh) {
			notifyRoster(sql, call, ctx, link.delta ? change.changed : change.roster);
			followSharing(sql, call, change.roster, ctx, true); // its content sharing, right after it
		}
	sql.exec(
		"UPDATE call_meeting SET roster_seq = ?, roster = ?, seen = ?",
		last.seq,
		JSON.stringify(last.roster),
		JSON.stringify(everyoneSeen(sql, fresh)),
	);
	return { status: "taken", seq: last.seq };
}

/** When the call becomes established: the whole roster it holds, if it holds one yet, then the shares under way. */
export function rosterOnConnect(sql: SqlStorage, call: StoredCall, ctx: CallContext): void {
	const link = meetingLink(sql);
	if (!link || link.rosterSeq === 0) return;
	notifyRoster(sql, { ...call, state: "established" }, ctx, linkedRoster(sql) ?? []);
	sharingOnConnect(sql, call, ctx);
}

/** The meeting of a call that has ended and not yet told it so (marked told: the meeting is told once). */
export function endedMeetingToTell(sql: SqlStorage): string | undefined {
	const row = sql
		.exec<{ meeting_name: string }>(
			"SELECT meeting_name FROM call_meeting WHERE told_left = 0 AND EXISTS (SELECT 1 FROM call_resource WHERE state = 'terminated')",
		)
		.toArray()[0];
	if (!row) return undefined;
	sql.exec("UPDATE call_meeting SET told_left = 1");
	return row.meeting_name;
}

type Seen = { id: string; identity: unknown };

/** The participants the call has seen so far, with those these changes show for the first time (bounded: the record's cap). */
function everyoneSeen(sql: SqlStorage, changes: RosterChange[]): Seen[] {
	const seen = JSON.parse(sql.exec<{ seen: string }>("SELECT seen FROM call_meeting").one().seen) as Seen[];
	const known = new Set(seen.map((one) => one.id));
	for (const change of changes)
		for (const one of change.roster) {
			if (known.has(one.id) || seen.length >= MAX_RECORD_PARTICIPANTS) continue;
			known.add(one.id);
			seen.push({ id: one.id, identity: (one.info as { identity?: unknown } | undefined)?.identity ?? {} });
		}
	return seen;
}
