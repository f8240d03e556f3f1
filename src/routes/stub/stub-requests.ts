import { callerNamespace, callObject, registryObject } from "../../calls/call-object";
import type { StubRequest } from "../../http/stub-request";
import { type JournalEntry, journalEntry } from "../../objects/requests/journal-entry";
import type { JournalQuery } from "../../objects/requests/journal-query";
import { encodeCursor, type JournalCursor, journalQuery } from "../../schema/journal-query";
import { stubCallPath } from "../../schema/path-params";
import { refusedWritten } from "../refused-batch";

// The request journal (docs/contract.md, "The request journal"): what the bot sent and what it was
// answered, read back by the tester. Reads through /_stub: never screened by a fault plan, never counted
// for Retry-After, never journaled themselves.

/** The most calls GET /_stub/requests reads, newest registered first (x-stub-calls-searched says how many). */
const MAX_CALLS_SEARCHED = 50;

type Entry = JournalEntry & { callId?: string };

/** The same query, `$skiptoken` replaced (the other parameters as sent, in order). */
function nextLink(request: StubRequest, cursor: JournalCursor): string {
	const parts: string[] = [];
	for (const [key, value] of request.meta.search)
		if (key !== "$skiptoken") parts.push(`${key}=${encodeURIComponent(value)}`);
	parts.push(`$skiptoken=${encodeCursor(cursor)}`);
	return `${request.meta.origin}${request.meta.path}?${parts.join("&")}`;
}

function answer(request: StubRequest, value: Entry[], more: JournalCursor | undefined, extra: HeadersInit = {}) {
	const body = { value, ...(more ? { "@odata.nextLink": nextLink(request, more) } : {}) };
	return Response.json(body, { headers: extra });
}

/** GET /_stub/calls/{callId}/requests: one call's journal, newest first. */
export async function listCallRequests(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	const { query, cursor } = journalQuery(request.meta.search);
	if (cursor) query.before = { at: cursor.at, seq: cursor.seq };
	const page = await callObject(env, namespace, callId).requests(query);
	if (query.count) return Response.json({ "@odata.count": page?.count ?? 0 });
	const rows = (page?.rows ?? []).map((row) => journalEntry(row, true));
	const last = rows.at(-1);
	return answer(request, rows, page?.hasMore && last ? { at: last.dateTime, seq: last.sequence } : undefined);
}

/** Where a call's entries resume after `cursor`, in (time desc, callId asc, sequence desc) order. */
function resumeFor(callId: string, cursor: JournalCursor | undefined): JournalQuery["before"] {
	if (!cursor) return undefined;
	const sameTime =
		cursor.callId === undefined || callId === cursor.callId
			? cursor.seq
			: callId > cursor.callId
				? Number.MAX_SAFE_INTEGER
				: 0;
	return { at: cursor.at, seq: sameTime };
}

const newestFirst = (a: Entry & { callId: string }, b: Entry & { callId: string }) =>
	b.dateTime.localeCompare(a.dateTime) || a.callId.localeCompare(b.callId) || b.sequence - a.sequence;

/** Where the refused requests sort among the calls' entries: a key no call id is (ids are never empty). */
const REFUSED_KEY = "";

/**
 * GET /_stub/requests: every call of the namespace, and the requests refused before they reached one
 * (kept by the registry: src/routes/refused-journal.ts), merged newest first. Two bounded rounds: each
 * journal names its newest matching entries without bodies (at most a page each); then the journals that
 * made the merged page send those entries with their bodies.
 */
export async function listNamespaceRequests(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { query, cursor } = journalQuery(request.meta.search);
	await refusedWritten(namespace); // this isolate's refused requests are in the journal first
	const registry = registryObject(env, namespace);
	const callIds = (await registry.callIds()).slice(0, MAX_CALLS_SEARCHED);
	const searched = { "x-stub-calls-searched": String(callIds.length) };
	const journal = (key: string) => (q: JournalQuery) =>
		key === REFUSED_KEY ? registry.refusedRequests(q) : callObject(env, namespace, key).requests(q);
	const pages = await Promise.all(
		[REFUSED_KEY, ...callIds].map(async (callId) => {
			const page = await journal(callId)({ ...query, before: resumeFor(callId, cursor), bodies: false });
			return { callId, page };
		}),
	);
	if (query.count) {
		const count = pages.reduce((sum, { page }) => sum + (page?.count ?? 0), 0);
		return Response.json({ "@odata.count": count }, { headers: searched });
	}
	const merged = pages
		.flatMap(({ callId, page }) => (page?.rows ?? []).map((row) => ({ ...journalEntry(row, false), callId })))
		.sort(newestFirst);
	const chosen = merged.slice(0, query.top);
	const more = merged.length > query.top || pages.some(({ page }) => page?.hasMore);
	const byCall = Map.groupBy(chosen, (entry) => entry.callId);
	const full = await Promise.all(
		[...byCall].map(async ([callId, entries]) => {
			const seqs = entries.map((entry) => entry.sequence);
			const page = await journal(callId)({ top: seqs.length, count: false, seqs });
			return (page?.rows ?? []).map((row) => ({ ...journalEntry(row, true), callId }));
		}),
	);
	// A refused request names no call (its path may name one that holds nothing).
	const value = full
		.flat()
		.sort(newestFirst)
		.map(({ callId, ...entry }) => (callId === REFUSED_KEY ? entry : { ...entry, callId }));
	const last = chosen.at(-1);
	const resume = more && last ? { at: last.dateTime, callId: last.callId, seq: last.sequence } : undefined;
	return answer(request, value, resume, searched);
}
