import type { CallFacts, Identity } from "../../calls/call-record";
import type { CallDocument } from "./call-store";

// What a call keeps for its record (migration 0014): when it was first established, and whether its
// record was filed with the namespace's registry. The call object files it after the step that ended it
// (src/objects/requests/call-requests.ts), once.

/** The call is established (the record's start): kept from the first time only. */
export function markEstablished(sql: SqlStorage, nowIso: string): void {
	sql.exec("UPDATE call_resource SET established_at = COALESCE(established_at, ?)", nowIso);
}

type Row = { body: string; created_at: string; updated_at: string; established_at: string | null };
type LinkRow = { meeting_name: string; seen: string };

/** An ended call's facts for its record, if it has not been filed yet (marked filed: taken once). */
export function callToRecord(sql: SqlStorage): { facts: CallFacts; meetingName?: string } | undefined {
	const row = sql
		.exec<Row>(
			"SELECT body, created_at, updated_at, established_at FROM call_resource WHERE state = 'terminated' AND record_filed = 0",
		)
		.toArray()[0];
	if (!row) return undefined;
	sql.exec("UPDATE call_resource SET record_filed = 1");
	const document = JSON.parse(row.body) as CallDocument;
	const facts: CallFacts = {
		callChainId: String(document.callChainId),
		document,
		createdAt: row.created_at,
		establishedAt: row.established_at,
		endedAt: row.updated_at,
	};
	const link = sql.exec<LinkRow>("SELECT meeting_name, seen FROM call_meeting").toArray()[0];
	if (!link) return { facts };
	// Everyone the call's rosters showed, also those who left before it ended (meeting-link.ts).
	const roster = (JSON.parse(link.seen) as { identity: Identity }[]).map((one) => one.identity);
	return {
		facts: { ...facts, meeting: { roster, joinWebUrl: null, organizer: null } },
		meetingName: link.meeting_name,
	};
}

/** Filing failed: the next step of the call tries again. */
export const unmarkFiled = (sql: SqlStorage) => sql.exec("UPDATE call_resource SET record_filed = 0");
