import type { Fault } from "../simulation/fault-decision";
import type { JournalRow } from "./journal-query";

/** A body as JSON, or its text. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One request as GET /_stub/calls/{id}/requests shows it (docs/contract.md, "The request journal"). */
export type JournalEntry = {
	sequence: number;
	dateTime: string;
	source: string;
	method: string;
	path: string;
	query: string;
	route: string;
	status: number;
	outcome: string;
	clientRequestId: string;
	requestBody?: JsonValue;
	requestBodyTruncated?: true;
	responseBody?: JsonValue;
	responseBodyTruncated?: true;
	fault?: Fault;
	delayMs?: number;
};

/** A kept body: its JSON value, or the text itself when it is not JSON or was cut. */
function bodyValue(text: string, cut: number): JsonValue {
	if (cut) return text;
	try {
		return JSON.parse(text) as JsonValue;
	} catch {
		return text;
	}
}

export function journalEntry(row: JournalRow, withBodies: boolean): JournalEntry {
	const entry: JournalEntry = {
		sequence: row.seq,
		dateTime: row.at,
		source: row.source,
		method: row.method,
		path: row.path,
		query: row.query,
		route: row.route,
		status: row.status,
		outcome: row.outcome,
		clientRequestId: row.client_request_id,
	};
	if (withBodies && row.request_body !== null) {
		entry.requestBody = bodyValue(row.request_body, row.request_cut);
		if (row.request_cut) entry.requestBodyTruncated = true;
	}
	if (withBodies && row.response_body !== null) {
		entry.responseBody = bodyValue(row.response_body, row.response_cut);
		if (row.response_cut) entry.responseBodyTruncated = true;
	}
	if (row.fault !== null) entry.fault = JSON.parse(row.fault) as Fault;
	if (row.delay_ms) entry.delayMs = row.delay_ms;
	return entry;
}
