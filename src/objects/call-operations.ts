import type { ApiVersion } from "../schema/api-version";
import type { StubConfig } from "../schema/stub-config";
import { callSummary } from "./call/call-machine";
import { CallResourceRpc } from "./call/call-rpc";
import { storedCallJson } from "./call/call-store";
import { type CallSummary, fail, type Outcome, ok, type Page, type StoredOperation } from "./call-results";
import type { NewOperation } from "./operations/operation-document";
import { findOperation, listPage, missing } from "./operations/operation-store";
import { withDelay } from "./requests/call-requests";
import type { RequestFacts } from "./requests/request-facts";
import type { JournalEntry } from "./simulation/fault-screen";

/**
 * One call of one tester namespace: its operations, and the one clock (its alarm) that moves them along,
 * delivers notifications and expires the idle call. Every request is applied in arrival order: writes
 * through one group commit, reads after the writes that arrived before them.
 *
 * A reset or an expiry wipes the object and starts a new incarnation. Whatever awaits something
 * (registering with the namespace's registry, a notification's POST) checks afterwards that the
 * incarnation it began in is still the current one, and writes nothing otherwise.
 */
export class CallOperations extends CallResourceRpc {
	/** `version`: the one the create came through (beta, the superset, for a caller that names none). */
	createOperation(
		operation: NewOperation,
		version: ApiVersion = "beta",
		facts?: RequestFacts,
	): Promise<Outcome<StoredOperation>> {
		return this.write("create", { kind: "create", operation, version }, facts);
	}

	/** The body is validated inside the write, against the operation's type as stored at that moment. */
	patchOperation(
		id: string,
		version: ApiVersion,
		body: Record<string, unknown>,
		facts?: RequestFacts,
	): Promise<Outcome<StoredOperation>> {
		return this.write("patch", { kind: "patch", id, version, body }, facts);
	}

	async deleteOperation(id: string, facts?: RequestFacts): Promise<Outcome<number>> {
		const outcome = await this.write("delete", { kind: "delete", id }, facts);
		return outcome.ok ? withDelay(ok(outcome.value.seq), outcome.delayMs ?? 0) : outcome;
	}

	async getOperation(id: string, facts?: RequestFacts): Promise<Outcome<StoredOperation>> {
		return this.read(
			"get",
			() => {
				const row = findOperation(this.sql, id);
				return row ? ok({ seq: row.seq, json: row.body }) : missing(this.sql);
			},
			facts,
		);
	}

	async listOperations(
		afterSeq: number,
		top: number,
		withCount: boolean,
		facts?: RequestFacts,
	): Promise<Outcome<Page>> {
		return this.read(
			"list",
			() =>
				this.exists()
					? ok(listPage(this.sql, afterSeq, top, withCount ? this.operationCount() : undefined))
					: fail("callNotFound"),
			facts,
		);
	}

	async countOperations(facts?: RequestFacts): Promise<Outcome<number>> {
		return this.read("count", () => (this.exists() ? ok(this.operationCount().value) : fail("callNotFound")), facts);
	}

	/**
	 * A tester's read of the operations (GET /_stub/calls/{id}/operations): not Graph traffic — no fault
	 * plan, no Retry-After bookkeeping, not journaled. Undefined: no such call.
	 */
	testerOperations(afterSeq: number, top: number) {
		return this.settled(undefined, () => (this.exists() ? listPage(this.sql, afterSeq, top, undefined) : undefined));
	}

	/** A tester's read of the call resource, ended ones included (GET /_stub/calls/{id}); undefined: none. */
	testerCall(): Promise<string | undefined> {
		return this.settled(undefined, () => storedCallJson(this.sql)?.body);
	}

	/** For /_stub/calls: any call that began (was written or configured), undefined otherwise. */
	summary(): Promise<CallSummary | undefined> {
		return this.settled(undefined, () => {
			const lastActivity = this.activity.lastActivity;
			if (lastActivity === undefined) return undefined;
			return {
				callId: this.call.callId,
				operationCount: this.operationCount().value,
				lastActivity,
				...callSummary(this.sql), // the call's state and direction, when it is a call resource
			};
		});
	}

	/** This call's own configuration (undefined: back to the namespace default). */
	async setConfig(config: StubConfig | undefined) {
		return this.inRegisteredCall(() => {
			this.writes.flush(); // writes that arrived earlier apply under the configuration they found
			this.activity.touch(new Date().toISOString());
			this.listed.changed(); // a configured call is listed
			return this.simulation.setOwn(config);
		});
	}

	/** The namespace default, pushed by the registry. */
	async inheritConfig(config: StubConfig | undefined): Promise<void> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		// A wiped call learns the default again when its next write registers it.
		if (!this.wiped) this.simulation.setInherited(config);
	}

	getConfig() {
		return this.settled({ own: null, inherited: null, effective: null }, () => this.simulation.settings.view());
	}

	notifications() {
		return this.settled([], () => this.simulation.notifications());
	}

	journal(): Promise<JournalEntry[]> {
		return this.settled([], () => this.simulation.journal());
	}

	/** Removes the call entirely, configuration included: its next create starts again at sequence 1. */
	async reset(): Promise<void> {
		while (this.turns.running) await this.turns.running;
		await this.wipe(true);
	}

	/** The call's one clock: idle expiry, else due transitions and notifications; then the next wake-up. */
	async alarm(): Promise<void> {
		while (this.turns.running) await this.turns.running;
		if (this.wiped) return;
		this.clock.cleared();
		this.writes.flush(); // writes that arrived before this alarm apply before it
		const expiry = this.activity.expiresAt(this.ttlMs());
		// Decided and done in one step: no write can land between the check and the wipe.
		if (expiry === undefined || expiry <= Date.now()) return this.wipe(expiry !== undefined);
		const incarnation = this.incarnation;
		this.runCallTimers(); // the call's own due steps, before delivery
		const deliverAt = await this.simulation.tick(this.ctx.storage, this.call.callId, () => this.isCurrent(incarnation));
		if (!this.isCurrent(incarnation)) return; // reset meanwhile: the new incarnation has its own clock
		this.live.changed(); // timers ran, notifications were tried
		this.listed.changed(); // a timer may have moved the call's state
		const expiryAt = this.activity.expiresAt(this.ttlMs()) ?? expiry;
		await this.clock.wakeBy(this.nextWakeAt(deliverAt, expiryAt) ?? Number.POSITIVE_INFINITY);
		await this.tellOthers(incarnation); // a recording deadline may have passed, a timer may have ended the call
	}

	/** The live page's WebSocket upgrade (the Worker checked the token): the one request that is not RPC. */
	async fetch(): Promise<Response> {
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		return this.live.accept();
	}

	async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
		if (message !== "refresh") return;
		while (this.turns.running) await this.turns.running;
		this.writes.flush();
		this.live.resend(socket);
	}

	webSocketClose(socket: WebSocket, code: number): void {
		try {
			socket.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
		} catch {
			// already closed (the runtime may answer the close itself)
		}
	}
}
