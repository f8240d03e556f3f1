import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, serveWorker, startLocalStub } from "../scripts/local-stub.ts";
import { combine, type Measured, measure, rowsWritten, type Scenario, SLOW_MS } from "./load.ts";
import { machine, notes, type Row, table, verdict } from "./report.ts";

// npm run bench [-- --seconds 6 --rounds 3 --connections 50 --only create --json]. Loopback only, bounded.
const { values } = parseArgs({
	options: {
		// Per scenario and per baseline, in `rounds` slices taken in turn (stub, baseline, baseline, stub, …).
		seconds: { type: "string", default: "6" },
		rounds: { type: "string", default: "3" },
		connections: { type: "string", default: "50" },
		json: { type: "boolean", default: false },
		// Runs only the scenarios whose name contains this text (each with its baseline).
		only: { type: "string", default: "" },
	},
});
const seconds = Math.min(Number(values.seconds), 30);
const rounds = Math.max(1, Math.min(Number(values.rounds), 10));
const slice = Math.max(1, Math.round(seconds / rounds));
const connections = Math.min(Number(values.connections), 200);
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

const JSON_HEADERS = { "Content-Type": "application/json" };
const CREATE_BODY = JSON.stringify({ "@odata.type": "#microsoft.graph.playPromptOperation", status: "Running" });
const ops = (callId: string) => `/beta/communications/calls/${callId}/operations`;
const spread = (prefix: string) => {
	let counter = 0;
	return () => `${prefix}${counter++ % 100}`;
};

const trivial: Scenario = {
	name: "trivial Worker: read body, answer",
	method: "POST",
	path: () => "/trivial",
	body: CREATE_BODY,
	headers: JSON_HEADERS,
	expectedStatus: 201,
};
const manyObjects = spread("/many/");
const manyCalls = spread("bench-many-");

/** Not the stub: what one Durable Object RPC that reads one row costs, the floor under any GET that asks an object. */
const readFloor: Scenario = {
	name: "floor: a Worker that reads one row from one object",
	method: "GET",
	path: () => "/read",
	expectedStatus: 200,
};

/**
 * Each scenario of the stub, the baseline of its own kind, and the target for the pair. A row
 * `servedBy: "baseline"` measures a scenario of the baseline Worker itself (a floor), not the stub.
 */
const pairs: { stub: Scenario; baseline: Scenario; target?: Row["target"]; servedBy?: "baseline" }[] = [
	{
		stub: {
			name: "create, 100 calls",
			method: "POST",
			path: () => ops(manyCalls()),
			body: CREATE_BODY,
			headers: JSON_HEADERS,
			expectedStatus: 201,
		},
		baseline: {
			name: "insert into 100 objects",
			method: "POST",
			path: manyObjects,
			body: CREATE_BODY,
			headers: JSON_HEADERS,
			expectedStatus: 201,
		},
		target: { minThroughput: 0.9 },
	},
	{
		stub: {
			name: "create, one call",
			method: "POST",
			path: () => ops("bench-one"),
			body: CREATE_BODY,
			headers: JSON_HEADERS,
			expectedStatus: 201,
		},
		baseline: {
			name: "insert into one object",
			method: "POST",
			path: () => "/one",
			body: CREATE_BODY,
			headers: JSON_HEADERS,
			expectedStatus: 201,
		},
		target: { minThroughput: 1.2, maxP99: 1.0 },
	},
	{
		stub: {
			name: "refused create (400)",
			method: "POST",
			path: () => ops("bench-bad"),
			body: '{"status":"Bogus"}',
			headers: JSON_HEADERS,
			expectedStatus: 400,
		},
		baseline: trivial,
		target: { minThroughput: 0.5 },
	},
	{
		stub: { name: "get one operation", method: "GET", path: () => `${ops("bench-get")}/op-1`, expectedStatus: 200 },
		baseline: trivial,
		target: { minThroughput: 0.5 },
	},
	{ stub: readFloor, baseline: trivial, servedBy: "baseline" },
	{
		stub: { name: "list one call", method: "GET", path: () => ops("bench-get"), expectedStatus: 200 },
		baseline: trivial,
	},
];

async function run(): Promise<Row[]> {
	const stateDir = await mkdtemp(join(tmpdir(), "graph-comms-stub-bench-"));
	const rows: Row[] = [];
	// Both served the same way (direct socket, persistent SQLite in a temporary folder), both up all run.
	const baseline = await serveWorker(
		{
			scriptPath: join(ROOT, "bench", "baseline-worker.js"),
			compatibilityDate: "2026-11-01",
			durableObjects: { BASELINE: { className: "Baseline", useSQLite: true } },
		},
		{ port: 0, stateDir: join(stateDir, "baseline") },
	);
	const stub = await startLocalStub({ port: 0, stateDir: join(stateDir, "stub") });
	try {
		const seeded = await fetch(new URL(ops("bench-get"), stub.url), {
			method: "POST",
			headers: { Authorization: "Bearer bench-token", ...JSON_HEADERS },
			body: JSON.stringify({ id: "op-1" }),
		});
		if (seeded.status !== 201) throw new Error(`seeding failed: ${seeded.status}`);
		for (const pair of pairs.filter(({ stub }) => stub.name.includes(values.only))) {
			// Each warmed up for 1 s first (the first requests start objects); then the pair in turns, in ABBA
			// order, so that a shared machine's drift during the run falls on both alike.
			log(`${pair.stub.name} / ${pair.baseline.name}…`);
			const served = pair.servedBy === "baseline" ? baseline.url.href : stub.url.href;
			await measure(served, pair.stub, 1, connections);
			await measure(baseline.url.href, pair.baseline, 1, connections);
			const stubSlices: Measured[] = [];
			const baselineSlices: Measured[] = [];
			let stubRows: number | undefined;
			let baselineRows: number | undefined;
			for (let round = 0; round < rounds; round++) {
				const last = round === rounds - 1;
				// Rows written are sampled right after each side's last turn, its calls as warm as under load.
				const stubTurn = async () => {
					stubSlices.push(await measure(served, pair.stub, slice, connections));
					if (last) stubRows = await rowsWritten(served, pair.stub);
				};
				const baselineTurn = async () => {
					baselineSlices.push(await measure(baseline.url.href, pair.baseline, slice, connections));
					if (last) baselineRows = await rowsWritten(baseline.url.href, pair.baseline);
				};
				for (const turn of round % 2 === 0 ? [stubTurn, baselineTurn] : [baselineTurn, stubTurn]) await turn();
			}
			const stubMeasured = combine(stubSlices);
			const baselineMeasured = combine(baselineSlices);
			rows.push({
				stub: stubMeasured,
				baseline: baselineMeasured,
				rowsWritten: { stub: stubRows, baseline: baselineRows },
				roundRatios: stubSlices.map(
					(m, i) => m.requestsPerSecond / Math.max(baselineSlices[i]?.requestsPerSecond ?? 0, 1),
				),
				target: pair.target,
			});
		}
	} finally {
		await stub.dispose();
		await baseline.dispose();
		await rm(stateDir, { recursive: true, force: true });
	}
	return rows;
}

const rows = await run();
if (values.json) {
	console.log(
		JSON.stringify(
			{
				date: new Date().toISOString(),
				machine: machine(),
				seconds,
				rounds,
				connections,
				rows: rows.map(({ stub, baseline, ...row }) => ({
					...row,
					stub: { ...stub, latencies: undefined },
					baseline: { ...baseline, latencies: undefined },
				})),
			},
			null,
			2,
		),
	);
} else {
	const suspect = notes(
		rows.flatMap((row) => [row.stub, row.baseline]),
		SLOW_MS,
	);
	const report = [
		"# Benchmark",
		"",
		`${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}; ${rounds * slice} s per scenario and per baseline in ${rounds} turns of ${slice} s, ${connections} connections, loopback, \`npm run bench\`.`,
		"Every scenario runs with a baseline of its own kind, served the same way (Miniflare, workerd's direct socket, SQLite on disk), each warmed up for 1 s first, then in turns (scenario, baseline, baseline, scenario, …) so that the machine's drift falls on both; the ratio is over the whole time, the range is each turn's.",
		"Rows written: the mean of `x-stub-rows-written` over 20 requests after the load (SQL cursors' `rowsWritten`, indexes included).",
		"CPU: share of the machine used during the stub's run by the load tool and workerd, and by every other process.",
		"",
		table(rows),
		"",
		...(suspect.length ? ["Notes:", "", ...suspect, ""] : []),
	].join("\n");
	console.log(`\n${report}`);
	for (const row of rows) if (row.target) log(`${row.stub.scenario}: ${verdict(row)}`);
	if (!values.only) {
		await writeFile(join(ROOT, "bench", "results", "latest.md"), report);
		log("written to bench/results/latest.md");
	}
}
