// The benchmark's baselines: the least a stub could do for each kind of request, served exactly as the
// stub is (the same launcher, workerd run on its own), so each scenario has a yardstick of its own kind.
//   /trivial      read the body, answer (no storage): the yardstick of stateless paths (400, GET, list).
//   /one          insert the body as one row into one SQLite Durable Object over RPC: creates on one call.
//   /many/{n}     the same insert into object n: creates spread over many calls.
//   /read         read one row from object "one" over RPC: the floor under any GET that asks an object.
//   /graph/{n}    the /many/{n} insert, answered with the nine headers a create sends (values of the same
//                 kind and length): the yardstick of the stub's own work on a create, headers aside.
// Each insert reports the rows its statement wrote, as the stub's create does (x-stub-rows-written).
import { DurableObject } from "cloudflare:workers";

export class Baseline extends DurableObject {
	constructor(ctx, env) {
		super(ctx, env);
		ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT)");
	}

	async insert(body) {
		const cursor = this.ctx.storage.sql.exec("INSERT INTO rows (body) VALUES (?) RETURNING seq", body);
		const { seq } = cursor.one();
		return { seq, rowsWritten: cursor.rowsWritten };
	}

	async read() {
		return this.ctx.storage.sql.exec("SELECT seq, body FROM rows ORDER BY seq LIMIT 1").toArray()[0] ?? null;
	}
}

export default {
	async fetch(request, env) {
		const body = await request.text();
		const { pathname } = new URL(request.url);
		if (pathname === "/trivial") return new Response('{"ok":true}', { status: 201, headers: JSON_TYPE });
		if (pathname === "/read") return Response.json(await env.BASELINE.getByName("one").read());
		if (pathname.startsWith("/graph/")) return graphInsert(request, env, pathname.slice("/graph/".length), body);
		const name = pathname === "/one" ? "one" : `many-${pathname.slice("/many/".length)}`;
		const { seq, rowsWritten } = await env.BASELINE.getByName(name).insert(body);
		return new Response(JSON.stringify({ seq }), {
			status: 201,
			headers: { ...JSON_TYPE, "x-stub-rows-written": String(rowsWritten) },
		});
	},
};

const JSON_TYPE = { "Content-Type": "application/json" };

const ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const DIAGNOSTIC = JSON.stringify({
	ServerInfo: { DataCenter: "local", Slice: "E", Ring: "stub", ScaleUnit: "000", RoleInstance: "graph-comms-stub" },
});

/** The same insert as /many/{n}, answered with the headers a faithful create sends (src/http/graph-headers.ts). */
async function graphInsert(request, env, n, body) {
	const { seq, rowsWritten } = await env.BASELINE.getByName(`many-${n}`).insert(body);
	const id = crypto.randomUUID();
	const origin = new URL(request.url).origin;
	const requestId = crypto.randomUUID();
	return new Response(JSON.stringify({ seq, id }), {
		status: 201,
		headers: {
			"Content-Type": ODATA_JSON,
			Location: `${origin}/beta/communications/calls/bench-many-${n}/operations/${id}`,
			"x-stub-sequence": String(seq),
			"x-stub-rows-written": String(rowsWritten),
			"request-id": requestId,
			"client-request-id": request.headers.get("client-request-id") ?? requestId,
			Date: new Date().toUTCString(),
			"x-ms-ags-diagnostic": DIAGNOSTIC,
			"OData-Version": "4.0",
		},
	});
}
