// The benchmark's baseline: the least a stub could do per create. It reads the body and inserts it as
// one row into one SQLite Durable Object over RPC, and answers 201. Served exactly as the stub is.
import { DurableObject } from "cloudflare:workers";

export class Baseline extends DurableObject {
	constructor(ctx, env) {
		super(ctx, env);
		ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT)");
	}

	async insert(body) {
		return this.ctx.storage.sql.exec("INSERT INTO rows (body) VALUES (?) RETURNING seq", body).one().seq;
	}
}

export default {
	async fetch(request, env) {
		const seq = await env.BASELINE.getByName("one").insert(await request.text());
		return new Response(JSON.stringify({ seq }), { status: 201, headers: { "Content-Type": "application/json" } });
	},
};
