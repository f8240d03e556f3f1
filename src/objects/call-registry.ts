import { DurableObject } from "cloudflare:workers";
import { applyMigrations, REGISTRY_MIGRATIONS } from "./migrations";

/** The calls of one tester namespace. A call registers once, on its first write. */
export class CallRegistry extends DurableObject<Env> {
	private readonly sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		void ctx.blockConcurrencyWhile(async () => {
			applyMigrations(ctx.storage, REGISTRY_MIGRATIONS);
		});
	}

	async register(callId: string): Promise<void> {
		this.sql.exec(
			"INSERT OR IGNORE INTO calls (call_id, registered_at) VALUES (?, ?)",
			callId,
			new Date().toISOString(),
		);
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
}
