import type { JournalRow } from "../requests/journal-query";

/** One request the call's object answered, as the live page lists it (from the request journal). */
export type LoggedRequest = {
	sequence: number;
	dateTime: string;
	route: string;
	method: string;
	path: string;
	status: number;
	/** `ok`, or why not: `callNotFound`, `fault`, `invalid`, a refused call step's reason, … */
	outcome: string;
	/** The HTTP status a fault plan injected. */
	faultStatus?: number;
	delayMs?: number;
};

/** How many of the newest journal entries the live page shows. */
export const LIVE_REQUESTS = 200;

export function loggedRequest(row: JournalRow): LoggedRequest {
	const fault = row.fault === null ? undefined : (JSON.parse(row.fault) as { status: number });
	return {
		sequence: row.seq,
		dateTime: row.at,
		route: row.route,
		method: row.method,
		path: row.path,
		status: row.status,
		outcome: row.outcome,
		...(fault ? { faultStatus: fault.status } : {}),
		...(row.delay_ms ? { delayMs: row.delay_ms } : {}),
	};
}
