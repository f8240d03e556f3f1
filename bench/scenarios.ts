import { join } from "node:path";
import { type LocalStubOptions, ROOT, serveWorker } from "../scripts/local-stub.ts";
import type { Scenario } from "./load.ts";
import type { Row } from "./report.ts";

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
const get = (name: string, path: string): Scenario => ({ name, method: "GET", path: () => path, expectedStatus: 200 });

const trivial = () => post("trivial Worker: read body, answer", () => "/trivial", CREATE_BODY, 201);

/**
 * A scenario, its baseline and the target for their ratio. `servedBy: "baseline"`: the scenario is the
 * baseline Worker's own (a floor to read another row by), not the stub's.
 */
export type Pair = { stub: Scenario; baseline: Scenario; target?: Row["target"]; servedBy?: "baseline" };

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
	get: {
		stub: get("get one operation", `${ops("bench-get")}/op-1`),
		baseline: trivial(),
		target: { minThroughput: 0.5 },
	},
	// What one Durable Object RPC that reads one row costs: the floor under any GET that asks an object.
	floor: {
		stub: get("floor: a Worker that reads one row from one object", "/read"),
		baseline: trivial(),
		servedBy: "baseline",
	},
	list: { stub: get("list one call", ops("bench-get")), baseline: trivial() },
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

/** The baseline Worker, served exactly as the stub is (same Miniflare options, same direct socket). */
export const serveBaseline = (options: LocalStubOptions) =>
	serveWorker(
		{
			scriptPath: join(ROOT, "bench", "baseline-worker.js"),
			compatibilityDate: "2026-11-01",
			durableObjects: { BASELINE: { className: "Baseline", useSQLite: true } },
		},
		options,
	);
