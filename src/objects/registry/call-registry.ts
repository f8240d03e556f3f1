import { DurableObject } from "cloudflare:workers";
import { callObject } from "../../calls/call-object";
import type { StubConfig } from "../../schema/stub-config";
import { applyMigrations, REGISTRY_MIGRATIONS } from "../migrations";
import { NotificationRate } from "./notification-rate";

/** The calls of one tester namespace, and the namespace's default configuration for them. */
export class CallRegistry extends DurableObject<Env> {
	private readonly sql: SqlStorage;
	private readonly notificationRate = new NotificationRate();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		void ctx.blockConcurrencyWhile(async () => {
			applyMigrations(ctx.storage, REGISTRY_MIGRATIONS);
		});
	}

	/** A call registers once per instance, before its first write; it learns the namespace default. */
	async register(callId: string): Promise<StubConfig | null> {
		this.sql.exec(
			"INSERT OR IGNORE INTO calls (call_id, registered_at) VALUES (?, ?)",
			callId,
			new Date().toISOString(),
		);
		return this.config() ?? null;
	}

	async forget(callId: string): Promise<void> {
		this.sql.exec("DELETE FROM calls WHERE call_id = ?", callId);
	}

	async callIds(): Promise<string[]> {
		return this.sql
			.exec<{ call_id: string }>("SELECT call_id FROM calls ORDER BY registered_at DESC")
			.toArray()
			.map((row) => row.call_id);
	}

	async getConfig(): Promise<StubConfig | null> {
		return this.config() ?? null;
	}

	/** Stores the namespace default (undefined: none) and pushes it to every call of the namespace. */
	async setConfig(namespace: string, config: StubConfig | undefined): Promise<void> {
		if (config)
			this.sql.exec(
				"INSERT OR REPLACE INTO namespace_config (only_row, namespace, config) VALUES (1, ?, ?)",
				namespace,
				JSON.stringify(config),
			);
		else this.sql.exec("DELETE FROM namespace_config");
		const calls = await this.callIds();
		await Promise.all(calls.map((callId) => callObject(this.env, namespace, callId).inheritConfig(config)));
	}

	/** A slot for one notification POST of this namespace: now (go), or when to ask again. */
	async notificationSlot(perMinute: number): Promise<number> {
		return this.notificationRate.take(perMinute, Date.now());
	}

	private config(): StubConfig | undefined {
		const row = this.sql.exec<{ config: string }>("SELECT config FROM namespace_config").toArray()[0];
		return row ? (JSON.parse(row.config) as StubConfig) : undefined;
	}
}
