import { bodyMatches } from "./body-match";

/** A stored journal row (migrations/call/0008). */
export type JournalRow = {
	seq: number;
	at: string;
	source: string;
	method: string;
	path: string;
	query: string;
	route: string;
	status: number;
	outcome: string;
	client_request_id: string;
	request_body: string | null;
	request_cut: number;
	response_body: string | null;
	response_cut: number;
	fault: string | null;
	delay_ms: number;
};

/** A read of the journal, validated by the Worker (src/schema/journal-query.ts): plain data across RPC. */
export type JournalQuery = {
	method?: string;
	/** The request's path ends with this (`/playPrompt`, `/operations/op-1`, or the whole path). */
	path?: string;
	route?: string;
	/** Inclusive: `404` is {404, 404}, `4xx` is {400, 499}. */
	status?: { min: number; max: number };
	/** ISO 8601 UTC (as toISOString writes it): entries at or after. */
	since?: string;
	/** A JSON sub-document of the request body (body-match.ts). */
	bodyContains?: unknown;
	top: number;
	/** Only entries older than this one, in (time, seq) order: where the previous page ended. */
	before?: { at: string; seq: number };
	/** Count the matches instead of returning them. */
	count: boolean;
	/** Only these entries (the namespace-wide read's second round, at most a page). */
	seqs?: number[];
	/** false: entries without their bodies (the namespace-wide read's first round). */
	bodies?: boolean;
};

/** The SQL part of a query (everything but the body match), on the table's own order. */
export function pageClause(query: JournalQuery): { where: string; bindings: SqlStorageValue[] } {
	const clauses: string[] = [];
	const bindings: SqlStorageValue[] = [];
	const add = (clause: string, ...values: SqlStorageValue[]) => {
		clauses.push(clause);
		bindings.push(...values);
	};
	if (query.before) add("(at < ? OR (at = ? AND seq < ?))", query.before.at, query.before.at, query.before.seq);
	if (query.method) add("method = ?", query.method);
	if (query.route) add("route = ?", query.route);
	if (query.status) add("status BETWEEN ? AND ?", query.status.min, query.status.max);
	if (query.since) add("at >= ?", query.since);
	if (query.path) add("substr(path, ?) = ?", -query.path.length, query.path);
	if (query.seqs) add(`seq IN (${query.seqs.map(() => "?").join(", ") || "NULL"})`, ...query.seqs);
	return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", bindings };
}

/** The part SQL cannot check: the request body's sub-document (a cut or non-JSON body never matches one). */
export function matches(row: JournalRow, query: JournalQuery): boolean {
	if (query.bodyContains === undefined) return true;
	if (row.request_body === null || row.request_cut) return false;
	try {
		return bodyMatches(query.bodyContains, JSON.parse(row.request_body));
	} catch {
		return false;
	}
}
