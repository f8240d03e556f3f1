import { type Answered, journalAnswer } from "./journal-answer";
import { type JournalQuery, type JournalRow, matches, pageClause } from "./journal-query";
import type { PendingRequest } from "./request-facts";

/** How many requests a call keeps when its configuration names no `requestJournal.keep`. */
export const DEFAULT_JOURNAL_KEEP = 1000;

const COLUMNS =
	"at, source, method, path, query, route, status, outcome, client_request_id, request_body, request_cut, response_body, response_cut, fault, delay_ms";

const INSERT = `INSERT INTO request_journal (seq, ${COLUMNS}) VALUES (?${", ?".repeat(15)})`;
// Once full: the oldest row becomes the newest (one row written; a DELETE and an INSERT would be two).
const OVERWRITE_OLDEST = `UPDATE request_journal SET seq = ?, ${COLUMNS.split(", ")
	.map((column) => `${column} = ?`)
	.join(", ")} WHERE seq = (SELECT MIN(seq) FROM request_journal)`;

// The same columns, the response body left out (an entry listed without its bodies).
const LIGHT_COLUMNS = COLUMNS.replace("response_body,", "NULL AS response_body,");

// What the live page lists of an entry (timeline/request-log.ts): no bodies (they are read on click).
const LIST_COLUMNS = COLUMNS.replace("request_body,", "NULL AS request_body,").replace(
	"response_body,",
	"NULL AS response_body,",
);

type Waiting = {
	pending: PendingRequest;
	answered: Answered;
	keep: number;
	nowIso: string;
	resolve: () => void;
	reject: (error: unknown) => void;
};

export type JournalPage = { rows: JournalRow[]; hasMore: boolean; count: number | undefined };

/**
 * The call's request journal (migrations/call/0008): every request the object answered, newest `keep`
 * kept. Each request writes one row: an INSERT while fewer than `keep` are stored, then an UPDATE that
 * moves the oldest row to the new sequence number (a delete and an insert would write two).
 * The row count and the highest seq are cached; `forget` drops the cache after a rollback.
 */
export class RequestJournal {
	private size: number | undefined;
	private lastSeq: number | undefined;
	private lastAt = "";
	/** Entries kept with later() and not written yet, in arrival order. */
	private waiting: Waiting[] = [];

	constructor(private readonly sql: SqlStorage) {}

	forget(): void {
		this.size = undefined;
		this.lastSeq = undefined;
		this.lastAt = "";
	}

	/** Every entry gone (a namespace's reset of its refused requests). */
	clear(): void {
		this.sql.exec("DELETE FROM request_journal");
		this.forget();
	}

	/**
	 * Keeps an entry with the others of the same moment: they are written together on the next turn of the
	 * event loop, so that a burst of reads costs one commit instead of one each (measured in
	 * docs/guides/speed.md). Resolves once this one is written: an answer that waits for it leaves after the
	 * runtime committed it (the output gate holds it meanwhile). Order is kept: any entry recorded, and any
	 * read of the journal, writes the waiting ones first; `writeWaiting()` does so on demand (before a
	 * transaction that could roll them back, before a wipe).
	 */
	later(pending: PendingRequest, answered: Answered, keep: number, nowIso: string): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			this.waiting.push({ pending, answered, keep, nowIso, resolve, reject });
			if (this.waiting.length === 1) setTimeout(() => this.writeWaiting(), 0);
		});
	}

	/** Writes every entry kept with later(), in order; each one's promise settles with its own write. */
	writeWaiting(): void {
		const waiting = this.waiting;
		if (waiting.length === 0) return;
		this.waiting = [];
		for (const entry of waiting) {
			try {
				this.write(entry.pending, entry.answered, entry.keep, entry.nowIso);
				entry.resolve();
			} catch (error) {
				entry.reject(error);
			}
		}
	}

	record(pending: PendingRequest, answered: Answered, keep: number, nowIso: string): void {
		this.writeWaiting();
		this.write(pending, answered, keep, nowIso);
	}

	private write(pending: PendingRequest, answered: Answered, keep: number, nowIso: string): void {
		const answer = journalAnswer(pending, answered);
		this.size ??= this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM request_journal").one().n;
		if (this.lastSeq === undefined) {
			const last = this.sql.exec<{ seq: number; at: string }>(
				"SELECT seq, at FROM request_journal ORDER BY seq DESC LIMIT 1",
			);
			const row = last.toArray()[0];
			this.lastSeq = row?.seq ?? 0;
			this.lastAt = row?.at ?? "";
		}
		if (this.size > keep) {
			// A smaller `keep` than before: drop the oldest, leaving room for this one.
			this.sql.exec("DELETE FROM request_journal WHERE seq <= ?", this.lastSeq - keep + 1);
			this.size = keep - 1;
		}
		const seq = ++this.lastSeq;
		// Never earlier than the entry before it, so (time, seq) order is seq order (the pages rely on it).
		if (nowIso > this.lastAt) this.lastAt = nowIso;
		const values = [
			this.lastAt,
			pending.source,
			pending.method,
			pending.path,
			pending.query,
			pending.route,
			answer.status,
			answer.outcome,
			pending.clientRequestId,
			pending.body?.text ?? null,
			pending.body?.cut ? 1 : 0,
			answer.body?.text ?? null,
			answer.body?.cut ? 1 : 0,
			pending.fault ? JSON.stringify(pending.fault) : null,
			pending.delayMs ?? 0,
		];
		if (this.size < keep) {
			this.sql.exec(INSERT, seq, ...values);
			this.size++;
		} else this.sql.exec(OVERWRITE_OLDEST, seq, ...values);
		pending.recorded = true;
	}

	/**
	 * Newest first: one page of the entries `query` matches, whether more follow, and (when asked) how
	 * many match in all. Reads rows only until the page is full (plus one), unless counting.
	 */
	page(query: JournalQuery): JournalPage {
		this.writeWaiting();
		const { where, bindings } = pageClause(query);
		// Without bodies, a body is read only to match bodyContains (and not returned).
		const columns = query.bodies === false ? LIGHT_COLUMNS : COLUMNS;
		const cursor = this.sql.exec<JournalRow>(
			`SELECT seq, ${columns} FROM request_journal ${where} ORDER BY seq DESC`,
			...bindings,
		);
		const rows: JournalRow[] = [];
		let count = 0;
		let hasMore = false;
		for (const row of cursor) {
			if (!matches(row, query)) continue;
			count++;
			if (rows.length < query.top) rows.push(query.bodies === false ? { ...row, request_body: null } : row);
			else {
				hasMore = true;
				if (!query.count) break;
			}
		}
		return { rows: query.count ? [] : rows, hasMore: !query.count && hasMore, count: query.count ? count : undefined };
	}

	/** The newest `limit` entries, oldest first, for the live page (without their bodies). */
	newest(limit: number): JournalRow[] {
		this.writeWaiting();
		return this.sql
			.exec<JournalRow>(`SELECT seq, ${LIST_COLUMNS} FROM request_journal ORDER BY seq DESC LIMIT ?`, limit)
			.toArray()
			.reverse();
	}
}
