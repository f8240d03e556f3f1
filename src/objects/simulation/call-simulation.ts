import type { ApiVersion } from "../../schema/api-version";
import type { FaultRoute } from "../../schema/fault-plan";
import type { StubConfig } from "../../schema/stub-config";
import type { StoredOperation } from "../call-results";
import { deliverDue } from "../notifications/delivery";
import { notificationDelivery } from "../notifications/delivery-settings";
import { deliveryJournal } from "../notifications/outbox";
import type { CallWrite } from "../operations/operation-store";
import { CallSettings } from "./call-settings";
import type { FaultDecision } from "./fault-decision";
import { FaultScreen, type JournalEntry } from "./fault-screen";
import { advanceDue, planTransitions } from "./progression";

/**
 * What a call does beyond storing operations (docs/contract.md): its configuration, the fault screen every Graph
 * request passes, the transitions planned after each write, and one tick of the call's clock.
 */
export class CallSimulation {
	readonly settings: CallSettings;
	private readonly faults: FaultScreen;
	private delivering = false;
	/** The earliest transition planned by the writes of the current batch, for the alarm. */
	private planned: number | undefined;

	constructor(
		private readonly sql: SqlStorage,
		private readonly env: Env,
	) {
		this.settings = new CallSettings(sql);
		this.faults = new FaultScreen(sql);
	}

	screen(route: FaultRoute): FaultDecision {
		return this.faults.screen(this.settings.effective?.faults, route);
	}

	/** Inside a write's transaction: (re)plan the operation's transitions, or drop them with it. */
	afterWrite(write: CallWrite, operation: StoredOperation, nowMs: number): void {
		if (write.kind === "delete") {
			this.sql.exec("DELETE FROM transitions WHERE operation_seq = ?", operation.seq);
			return;
		}
		const config = this.settings.effective;
		if (!config?.progression) return;
		const due = planTransitions(this.sql, config, operation.seq, operation.json, nowMs, write.version);
		if (due !== undefined) this.planned = Math.min(this.planned ?? due, due);
	}

	/** Plans an action-made operation's transitions from the tester's script (its caller checked there is one). */
	planFor(operation: StoredOperation, nowMs: number, version: ApiVersion): void {
		planTransitions(this.sql, this.settings.effective, operation.seq, operation.json, nowMs, version);
	}

	/** The earliest transition planned since the last call, once. */
	takePlanned(): number | undefined {
		const planned = this.planned;
		this.planned = undefined;
		return planned;
	}

	/** Applies the due transitions, then delivers what is due; returns when the outbox wants to come back. */
	async tick(storage: DurableObjectStorage, callId: string, isCurrent: () => boolean): Promise<number | undefined> {
		const nowMs = Date.now();
		storage.transactionSync(() =>
			advanceDue(this.sql, this.settings.effective, callId, nowMs, new Date(nowMs).toISOString()),
		);
		// One delivery loop at a time: a running one goes on to what was just enqueued and sets the next wake-up.
		if (this.delivering) return undefined;
		this.delivering = true;
		try {
			const config = this.settings.effective;
			const delivery = notificationDelivery(this.env, this.sql, config, this.settings.scenarioId);
			return await deliverDue(this.sql, delivery, isCurrent);
		} finally {
			this.delivering = false;
		}
	}

	nextTransitionAt(): number | null {
		return this.sql.exec<{ t: number | null }>("SELECT MIN(due_at) AS t FROM transitions").one().t;
	}

	/** This call's own configuration (undefined: the namespace default). A new plan counts from zero. */
	setOwn(config: StubConfig | undefined) {
		this.settings.setOwn(config);
		this.faults.reset();
		return this.settings.view();
	}

	/** The namespace default, on registration and whenever it changes; an unchanged one keeps the counts. */
	setInherited(config: StubConfig | undefined): void {
		if (JSON.stringify(config) === JSON.stringify(this.settings.inherited)) return;
		this.settings.setInherited(config);
		if (!this.settings.own) this.faults.reset();
	}

	notifications() {
		return deliveryJournal(this.sql);
	}

	journal(): JournalEntry[] {
		return this.faults.journal();
	}
}
