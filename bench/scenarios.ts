import { join } from "node:path";
import { type LocalStubOptions, ROOT, serveWorker } from "../scripts/local-stub.ts";
import type { Scenario } from "./load.ts";
import type { Row } from "./report.ts";
import { seedMany } from "./seed-growth.ts";

// Every scenario the benchmarks drive, each with its baseline of the same kind (bench/baseline-worker.js)
// and the target for the pair: `npm run bench` measures them all, `bench:profile` and
// `bench:compare` one by name.
const JSON_HEADERS = { "Content-Type": "application/json" };
const ops = (callId: string) => `/beta/communications/calls/${callId}/operations`;
const CREATE_BODY = JSON.stringify({ "@odata.type": "#microsoft.graph.playPromptOperation", status: "Running" });

/** A path that spreads requests over 100 names, in turn (its own counter). */
const over100 = (name: (n: number) => string) => {
	let counter = 0;
	return () => name(counter++ % 100);
};

const post = (name: string, path: () => string, body: string, expectedStatus: number): Scenario => ({
	name,
	method: "POST",
	path,
	body,
	headers: JSON_HEADERS,
	expectedStatus,
});
const get = (name: string, path: string, token?: string): Scenario => ({
	name,
	method: "GET",
	path: () => path,
	expectedStatus: 200,
	...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
});

const trivial = () => post("trivial Worker: read body, answer", () => "/trivial", CREATE_BODY, 201);

/** The floor under any GET that asks an object: a Worker that reads one row from one object over RPC. */
const floor = () => get("floor: a Worker that reads one row from one object", "/read");

/**
 * A scenario, its baseline and the target for their ratio. `servedBy: "baseline"`: the scenario is the
 * baseline Worker's own (a floor to read another row by), not the stub's. `baselineServedBy: "stub"`: the
 * baseline is the stub's own (the same request on a small call or namespace: a growth row). `prepare`
 * seeds what the pair needs (once per stub) and says what it did.
 */
export type Pair = {
	stub: Scenario;
	baseline: Scenario;
	target?: Row["target"];
	servedBy?: "baseline";
	baselineServedBy?: "stub";
	prepare?: (stub: URL) => Promise<string>;
};

/** The growth rows' sizes: a call holding this many operations, a namespace holding this many calls. */
export const BIG_CALL_OPERATIONS = 100_000;
export const WIDE_NAMESPACE_CALLS = 10_000;
const NARROW_NAMESPACE_CALLS = 10;

const once = <T>(make: (stub: URL) => Promise<T>) => {
	const made = new Map<string, Promise<T>>();
	return (stub: URL) => {
		const key = stub.href;
		if (!made.has(key)) made.set(key, make(stub));
		return made.get(key) as Promise<T>;
	};
};

/** One call holding BIG_CALL_OPERATIONS (op-1 first, then the rest), sent 100 at a time over the API. */
const seedBigCall = once(async (stub: URL) => {
	await seedOne(stub, ops("bench-big"), "bench-token");
	const seconds = await seedMany(stub, {
		count: BIG_CALL_OPERATIONS - 1,
		token: "bench-token",
		path: () => ops("bench-big"),
		body: CREATE_BODY,
		connections: 100,
		limitSeconds: 120,
	});
	return `a call seeded with ${BIG_CALL_OPERATIONS.toLocaleString("en")} operations in ${seconds.toFixed(0)} s`;
});

/** A namespace holding WIDE_NAMESPACE_CALLS (one operation each), another holding 10. */
const seedNamespaces = once(async (stub: URL) => {
	const calls = (token: string, count: number, connections: number) =>
		seedMany(stub, {
			count,
			token,
			path: (n) => ops(`wide-${n}`),
			body: CREATE_BODY,
			connections,
			limitSeconds: 120,
		});
	await calls("bench-narrow", NARROW_NAMESPACE_CALLS, 1);
	const seconds = await calls("bench-wide", WIDE_NAMESPACE_CALLS, 50);
	return `a namespace seeded with ${WIDE_NAMESPACE_CALLS.toLocaleString("en")} calls in ${seconds.toFixed(0)} s`;
});

async function seedOne(stub: URL, path: string, token: string): Promise<void> {
	const response = await fetch(new URL(path, stub), {
		method: "POST",
		headers: { Authorization: `Bearer ${token}`, ...JSON_HEADERS },
		body: JSON.stringify({ id: "op-1" }),
	});
	if (response.status !== 201) throw new Error(`seeding failed: ${response.status}`);
}

/** A call whose configuration keeps no GET in its request journal (`requestJournal.reads: false`), holding op-1. */
const seedQuietCall = once(async (stub: URL) => {
	const response = await fetch(new URL("/_stub/calls/bench-get-quiet/config", stub), {
		method: "PUT",
		headers: { Authorization: "Bearer bench-token", ...JSON_HEADERS },
		body: JSON.stringify({ requestJournal: { reads: false } }),
	});
	if (response.status !== 200) throw new Error(`configuring failed: ${response.status}`);
	await seedOne(stub, ops("bench-get-quiet"), "bench-token");
	return "a call configured with requestJournal.reads: false";
});

/** Every pair, in the report's order, each with fresh path counters. */
export const pairs = (): Record<string, Pair> => ({
	create100: {
		stub: post(
			"create, 100 calls",
			over100((n) => ops(`bench-many-${n}`)),
			CREATE_BODY,
			201,
		),
		baseline: post(
			"insert into 100 objects",
			over100((n) => `/many/${n}`),
			CREATE_BODY,
			201,
		),
		target: { minThroughput: 0.9 },
	},
	// The same insert answered with the nine headers a faithful create sends: the ratio is the stub's own work.
	create100graph: {
		stub: post(
			"create, 100 calls (vs its headers)",
			over100((n) => ops(`bench-many-${n}`)),
			CREATE_BODY,
			201,
		),
		baseline: post(
			"insert into 100 objects, answered with a create's 9 headers",
			over100((n) => `/graph/${n}`),
			CREATE_BODY,
			201,
		),
		target: { minThroughput: 0.95 },
	},
	create: {
		stub: post("create, one call", () => ops("bench-one"), CREATE_BODY, 201),
		baseline: post("insert into one object", () => "/one", CREATE_BODY, 201),
		target: { minThroughput: 1.2, maxP99: 1.0 },
	},
	refused: {
		stub: post("refused create (400)", () => ops("bench-bad"), '{"status":"Bogus"}', 400),
		baseline: trivial(),
		target: { minThroughput: 0.5 },
	},
	// Reads against the floor, in the same run: what the stub adds to the one RPC a read needs.
	get: {
		stub: get("get one operation", `${ops("bench-get")}/op-1`),
		baseline: floor(),
		target: { minThroughput: 0.85 },
	},
	list: { stub: get("list one call", ops("bench-get")), baseline: floor(), target: { minThroughput: 0.8 } },
	// The journal's share of a GET: the same read on a call that journals no GET, against one that does.
	journalReads: {
		stub: get("get one operation, reads not journaled", `${ops("bench-get-quiet")}/op-1`),
		baseline: get("get one operation, journaled", `${ops("bench-get")}/op-1`),
		baselineServedBy: "stub",
		prepare: seedQuietCall,
	},
	// What one Durable Object RPC that reads one row costs, against a Worker that asks no object.
	floor: { stub: floor(), baseline: trivial(), servedBy: "baseline" },
	// Growth: the same request on a big call (namespace) and on a small one, both the stub's, in turns.
	bigCreate: {
		stub: post("create, a call of 100,000 operations", () => ops("bench-big"), CREATE_BODY, 201),
		baseline: post("create, a fresh call", () => ops("bench-small"), CREATE_BODY, 201),
		baselineServedBy: "stub",
		target: { maxP99: 1.2 },
		prepare: seedBigCall,
	},
	bigGet: {
		stub: get("get one operation, a call of 100,000", `${ops("bench-big")}/op-1`),
		baseline: get("get one operation, a call of 1", `${ops("bench-get")}/op-1`),
		baselineServedBy: "stub",
		target: { maxP99: 1.2 },
		prepare: seedBigCall,
	},
	wideList: {
		stub: get("/_stub/calls page of 10, namespace of 10,000", "/_stub/calls?$top=10", "bench-wide"),
		baseline: get("/_stub/calls page of 10, namespace of 10", "/_stub/calls?$top=10", "bench-narrow"),
		baselineServedBy: "stub",
		target: { maxP99: 1.2 },
		prepare: seedNamespaces,
	},
});

const SCENARIO_NAMES = Object.keys(pairs());

/** One pair by name (for one scenario's tools). */
export function pair(name: string): Pair {
	const found = pairs()[name];
	if (!found) throw new Error(`--scenario is one of ${SCENARIO_NAMES.join(", ")}`);
	return found;
}

/** Stores the operation the GET and list scenarios read (on the baseline Worker: the row `/read` reads). */
export async function seed(base: URL, baselineWorker = false): Promise<void> {
	const response = await fetch(new URL(baselineWorker ? "/one" : ops("bench-get"), base), {
		method: "POST",
		headers: { Authorization: "Bearer bench-token", ...JSON_HEADERS },
		body: JSON.stringify({ id: "op-1" }),
	});
	if (response.status !== 201) throw new Error(`seeding failed: ${response.status}`);
}

/** The baseline Worker, served exactly as the stub is (the same launcher and workerd configuration). */
export const serveBaseline = (options: LocalStubOptions) =>
	serveWorker(
		{
			scriptPath: join(ROOT, "bench", "baseline-worker.js"),
			compatibilityDate: "2026-11-01",
			durableObjects: { BASELINE: { className: "Baseline", useSQLite: true } },
		},
		options,
	);
