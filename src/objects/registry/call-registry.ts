import { DurableObject } from "cloudflare:workers";
import type { CallRecord } from "../../calls/call-record";
import type { StubConfig } from "../../schema/stub-config";
import { settingsOf } from "../../settings/settings";
import type { CallSummary } from "../call-results";
import { applyMigrations, REGISTRY_MIGRATIONS } from "../migrations";
import type { JournalQuery } from "../requests/journal-query";
import type { RefusedEntry } from "../requests/refused-entry";
import { DEFAULT_JOURNAL_KEEP, type JournalPage, RequestJournal } from "../requests/request-journal";
import { addCall, allCallIds, callPage, type ListedCall, removeCall, seqOf } from "./call-list";
import { fileRecord, readableRecord } from "./call-records";
import { CallsLive } from "./calls-live";
import { type FanOutKind, FanOuts } from "./fan-outs";
import { claimMeeting, isListedMeeting, type MeetingClaim, meetingPage, unlistMeeting } from "./meeting-list";
import { NotificationRate } from "./notification-rate";

/** The calls of one tester namespace, and the namespace's default configuration for them. */
export class CallRegistry extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	private readonly notificationRate = new NotificationRate();
	private readonly fanOuts: FanOuts;
	/** The live pages watching this namespace's calls list. */
	private readonly live: CallsLive;
	/** The requests refused in the Worker before they reached a call (migrations/registry/0006). */
	private readonly refused: RequestJournal;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		this.fanOuts = new FanOuts(this.sql, ctx.storage, env, () => this.config());
		this.live = new CallsLive(ctx);
		this.refused = new RequestJournal(this.sql);
		void ctx.blockConcurrencyWhile(async () => {
			applyMigrations(ctx.storage, REGISTRY_MIGRATIONS);
		});
	}

	/** A call registers once per instance, before its first write; it learns the namespace default. */
	async register(callId: string): Promise<StubConfig | null> {
		addCall(this.sql, callId, new Date().toISOString());
		return this.config() ?? null;
	}

	async forget(callId: string): Promise<void> {
		removeCall(this.sql, callId);
		if (this.live.watched()) this.live.ended(callId);
	}

	/**
	 * A call's summary changed (src/objects/timeline/list-signal.ts): pushed to the watching pages if still
	 * listed. Answers whether any page watches (a call told "no" reports less often for a while).
	 */
	async callChanged(summary: CallSummary): Promise<boolean> {
		if (!this.live.watched()) return false;
		// A late report of a call that was forgotten, or that a reset of them all is removing, shows nothing.
		const seq = seqOf(this.sql, summary.callId);
		if (seq !== undefined && seq > this.fanOuts.hiddenThrough()) this.live.changed(summary);
		return true;
	}

	/** GET /_stub/live: a page's WebSocket for the calls list (the Worker checked the token). */
	async fetch(): Promise<Response> {
		return this.live.accept();
	}

	/** The page sends nothing; anything it does send is ignored. */
	webSocketMessage(): void {}

	webSocketClose(socket: WebSocket, code: number): void {
		try {
			socket.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
		} catch {
			// already closed (the runtime may answer the close itself)
		}
	}

	/** One page of the calls, newest first, below `beforeSeq`; calls a reset of them all is removing are left out. */
	async callPage(beforeSeq: number, top: number): Promise<{ calls: ListedCall[]; more: boolean; rowsRead: number }> {
		return callPage(this.sql, beforeSeq, this.fanOuts.hiddenThrough(), top);
	}

	/** A meeting's object lists itself when it is made: unless the namespace already holds `cap` (meeting-list.ts). */
	async claimMeeting(meetingId: string, cap: number): Promise<MeetingClaim> {
		return claimMeeting(this.sql, meetingId, cap, new Date().toISOString());
	}

	/** Whether a meeting of this id is listed: asked before a meeting's object is reached by a tester's id. */
	async hasMeeting(meetingId: string): Promise<boolean> {
		return isListedMeeting(this.sql, meetingId);
	}

	/** A meeting deleted or expired unlists itself. */
	async unlistMeeting(meetingId: string): Promise<void> {
		unlistMeeting(this.sql, meetingId);
	}

	/** One page of the meetings, newest first, below `beforeSeq`. */
	async meetingPage(beforeSeq: number, top: number) {
		return meetingPage(this.sql, beforeSeq, top);
	}

	/** Every call id listed, newest first (O(calls): for tests and tools, not for requests). */
	async callIds(): Promise<string[]> {
		return allCallIds(this.sql);
	}

	/** DELETE /_stub/calls: every call listed now is to be removed; how many. Then `advance("reset")` to the end. */
	async resetAll(namespace: string): Promise<number> {
		// The refused requests go with the calls: a reset is where a tester's next test starts.
		this.refused.clear();
		return this.fanOuts.beginReset(namespace);
	}

	/** One bounded step of a fan-out; true once it is over. */
	async advance(kind: FanOutKind): Promise<boolean> {
		return this.fanOuts.advance(kind);
	}

	/** Keeps requests the Worker refused before any call saw them, in the order given (src/routes/refused-journal.ts). */
	async journalRefused(entries: RefusedEntry[]): Promise<void> {
		const keep = this.config()?.requestJournal?.keep ?? DEFAULT_JOURNAL_KEEP;
		this.ctx.storage.transactionSync(() => {
			for (const { facts, answered, at } of entries) this.refused.record({ ...facts }, answered, keep, at);
		});
	}

	/** One page of the refused requests, as a call's journal pages (GET /_stub/requests merges them). */
	async refusedRequests(query: JournalQuery): Promise<JournalPage> {
		return this.refused.page(query);
	}

	async getConfig(): Promise<StubConfig | null> {
		return this.config() ?? null;
	}

	/** Stores the namespace default (undefined: none); then `advance("config")` pushes it to every call. */
	async setConfig(namespace: string, config: StubConfig | undefined): Promise<void> {
		if (config)
			this.sql.exec(
				"INSERT OR REPLACE INTO namespace_config (only_row, namespace, config) VALUES (1, ?, ?)",
				namespace,
				JSON.stringify(config),
			);
		else this.sql.exec("DELETE FROM namespace_config");
		await this.fanOuts.beginConfig(namespace);
	}

	/** Resumes a fan-out whose request was cut off (or whose object was evicted meanwhile). */
	async alarm(): Promise<void> {
		await this.fanOuts.resume();
	}

	/** A slot for one notification POST of this namespace: now (go), or when to ask again. */
	async notificationSlot(perMinute: number): Promise<number> {
		return this.notificationRate.take(perMinute, Date.now());
	}

	/** An ended call's record (src/objects/call/record-filing.ts): readable from `availableAt`, for the call TTL after. */
	async fileCallRecord(record: CallRecord, availableAt: number): Promise<void> {
		const expiresAt = availableAt + settingsOf(this.env).callTtlSeconds * 1000;
		this.ctx.storage.transactionSync(() => fileRecord(this.sql, record, availableAt, expiresAt));
	}

	/** GET …/communications/callRecords/{id}: the record if readable now (not before its delay, not after its TTL). */
	async callRecord(id: string): Promise<CallRecord | null> {
		return readableRecord(this.sql, id, Date.now()) ?? null;
	}

	private config(): StubConfig | undefined {
		const row = this.sql.exec<{ config: string }>("SELECT config FROM namespace_config").toArray()[0];
		return row ? (JSON.parse(row.config) as StubConfig) : undefined;
	}
}
