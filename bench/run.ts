import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, serveWorker, startLocalStub } from "../scripts/local-stub.ts";
import { type Measured, measure, type Scenario } from "./load.ts";
import { machine, type Row, table } from "./report.ts";

// npm run bench [-- --seconds 5 --connections 50 --json]. Loopback only, every run bounded in time.
const { values } = parseArgs({
	options: {
		seconds: { type: "string", default: "5" },
		connections: { type: "string", default: "50" },
		json: { type: "boolean", default: false },
		// Runs only the scenarios whose name contains this text (the baseline always runs).
		only: { type: "string", default: "" },
	},
});
const seconds = Math.min(Number(values.seconds), 30);
const connections = Math.min(Number(values.connections), 200);
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

const JSON_HEADERS = { "Content-Type": "application/json" };
const CREATE_BODY = JSON.stringify({ "@odata.type": "#microsoft.graph.playPromptOperation", status: "Running" });
const ops = (callId: string) => `/beta/communications/calls/${callId}/operations`;
let counter = 0;

async function run() {
	const stateDir = await mkdtemp(join(tmpdir(), "graph-comms-stub-bench-"));
	const results: { measured: Measured; expectedStatus: string }[] = [];
	try {
		log(`baseline: one SQLite Durable Object insert per request, ${seconds}s × ${connections} connections`);
		const baseline = await serveWorker(
			{
				scriptPath: join(ROOT, "bench", "baseline-worker.js"),
				compatibilityDate: "2026-11-01",
				durableObjects: { BASELINE: { className: "Baseline", useSQLite: true } },
			},
			{ port: 0, stateDir: join(stateDir, "baseline") },
		);
		const baselineScenario: Scenario = {
			name: "baseline: insert one row",
			method: "POST",
			path: () => "/",
			body: CREATE_BODY,
		};
		await measure(baseline.url.href, baselineScenario, 1, connections); // warm-up, not reported
		results.push({
			measured: await measure(baseline.url.href, baselineScenario, seconds, connections),
			expectedStatus: "201",
		});
		await baseline.dispose();

		const stub = await startLocalStub({ port: 0, stateDir: join(stateDir, "stub") });
		const base = stub.url.href;
		const seeded = await fetch(new URL(ops("bench-get"), base), {
			method: "POST",
			headers: { Authorization: "Bearer bench-token", ...JSON_HEADERS },
			body: JSON.stringify({ id: "op-1" }),
		});
		if (seeded.status !== 201) throw new Error(`seeding failed: ${seeded.status}`);
		const scenarios: [Scenario, string][] = [
			[
				{
					name: "create, one call",
					method: "POST",
					path: () => ops("bench-one"),
					body: CREATE_BODY,
					headers: JSON_HEADERS,
				},
				"201",
			],
			[
				{
					name: "create, 100 calls",
					method: "POST",
					path: () => ops(`bench-many-${counter++ % 100}`),
					body: CREATE_BODY,
					headers: JSON_HEADERS,
				},
				"201",
			],
			[{ name: "get one operation", method: "GET", path: () => `${ops("bench-get")}/op-1` }, "200"],
			[
				{
					name: "refused create (400)",
					method: "POST",
					path: () => ops("bench-bad"),
					body: '{"status":"Bogus"}',
					headers: JSON_HEADERS,
				},
				"400",
			],
		];
		for (const [scenario, expectedStatus] of scenarios.filter(([s]) => s.name.includes(values.only))) {
			log(`${scenario.name}…`);
			await measure(base, scenario, 1, connections); // warm-up (first requests start objects), not reported
			results.push({ measured: await measure(base, scenario, seconds, connections), expectedStatus });
		}
		await stub.dispose();
	} finally {
		await rm(stateDir, { recursive: true, force: true });
	}
	return results;
}

const measured = await run();
const baseline = measured[0]?.measured;
if (!baseline) throw new Error("no baseline measured");
const rows: Row[] = measured.map(({ measured: m, expectedStatus }) => ({
	...m,
	expectedStatus,
	throughputRatio: m.requestsPerSecond / baseline.requestsPerSecond,
	p99Ratio: m.p99 / Math.max(baseline.p99, 1),
}));

if (values.json) {
	console.log(
		JSON.stringify({ date: new Date().toISOString(), machine: machine(), seconds, connections, rows }, null, 2),
	);
} else {
	const report = `# Benchmark\n\n${new Date().toISOString().slice(0, 10)} on ${machine()}; ${seconds} s per scenario, ${connections} connections, loopback, \`npm run bench\`.\nEach scenario is warmed up for 1 s first. Ratios are against the baseline measured in the same run. The 400 scenario's non-2xx count is its expected answers.\n\n${table(rows)}\n`;
	console.log(`\n${report}`);
	if (!values.only) {
		await writeFile(join(ROOT, "bench", "results", "latest.md"), report);
		log("written to bench/results/latest.md");
	}
}
