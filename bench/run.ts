import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildWorkerApart, ROOT } from "../scripts/local-stub.ts";
import { combine, type Measured, measure, rowsWritten, SLOW_MS } from "./load.ts";
import { machine, metOrNot, notes, READY_TARGET_MS, type Row, RSS_TARGET, table, verdict } from "./report.ts";
import { pairs, seed, serveBaseline } from "./scenarios.ts";
import { sampleRss, serveTree, treeRssMb } from "./serving-tree.ts";

// npm run bench [-- --seconds 6 --rounds 3 --connections 50 --only create --memory --json]. Loopback only,
// bounded. The stub is served as `npm start` serves it, in a process tree of its own whose RSS is sampled.
const { values } = parseArgs({
	options: {
		// Per scenario and per baseline, in `rounds` slices taken in turn (stub, baseline, baseline, stub, …).
		seconds: { type: "string", default: "6" },
		rounds: { type: "string", default: "3" },
		connections: { type: "string", default: "50" },
		json: { type: "boolean", default: false },
		// Runs only the scenarios whose key (create100, get, bigGet, …) or name contains this text.
		only: { type: "string", default: "" },
		// Both states in memory (/dev/shm; the stub with --memory), as the package's CLI keeps them by default.
		memory: { type: "boolean", default: false },
	},
});
const seconds = Math.min(Number(values.seconds), 30);
const rounds = Math.max(1, Math.min(Number(values.rounds), 10));
const slice = Math.max(1, Math.round(seconds / rounds));
const connections = Math.min(Number(values.connections), 200);
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

const footprint = { idleMb: 0, loadedMb: 0, readyMs: 0 };
const prepared: string[] = [];

async function run(): Promise<Row[]> {
	const stateDir = await mkdtemp(join(values.memory ? "/dev/shm" : tmpdir(), "graph-comms-stub-bench-"));
	const rows: Row[] = [];
	// Both served the same way (workerd run by the same launcher, persistent SQLite in a temporary folder), both up all run.
	const baseline = await serveBaseline({ port: 0, stateDir: join(stateDir, "baseline") });
	// Built first (as npm install's prepare step does), so that the start measured is npm start's own.
	await buildWorkerApart();
	const stub = await serveTree(values.memory ? undefined : join(stateDir, "stub"));
	footprint.readyMs = stub.readyMs;
	try {
		await seed(stub.url);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		footprint.idleMb = treeRssMb(stub.pid);
		const chosen = Object.entries(pairs()).filter(
			([key, { stub }]) => key.includes(values.only) || stub.name.includes(values.only),
		);
		for (const [, pair] of chosen) {
			if (pair.prepare) {
				log(`seeding for ${pair.stub.name}…`);
				const said = await pair.prepare(stub.url);
				if (!prepared.includes(said)) prepared.push(said);
			}
			// Each warmed up for 1 s first (the first requests start objects); then the pair in turns, in ABBA
			// order, so that a shared machine's drift during the run falls on both alike.
			log(`${pair.stub.name} / ${pair.baseline.name}…`);
			const served = pair.servedBy === "baseline" ? baseline.url.href : stub.url.href;
			const baselineServed = pair.baselineServedBy === "stub" ? stub.url.href : baseline.url.href;
			await measure(served, pair.stub, 1, connections);
			await measure(baselineServed, pair.baseline, 1, connections);
			const rss = sampleRss(stub.pid);
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
					baselineSlices.push(await measure(baselineServed, pair.baseline, slice, connections));
					if (last) baselineRows = await rowsWritten(baselineServed, pair.baseline);
				};
				for (const turn of round % 2 === 0 ? [stubTurn, baselineTurn] : [baselineTurn, stubTurn]) await turn();
			}
			const treeRss = rss();
			footprint.loadedMb = Math.max(footprint.loadedMb, treeRss.maxMb);
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
				rss: treeRss,
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
				memory: values.memory,
				footprint,
				prepared,
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
		`${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}; ${rounds * slice} s per scenario and per baseline in ${rounds} turns of ${slice} s, ${connections} connections, loopback, \`npm run bench${values.memory ? " -- --memory" : ""}\`.`,
		`Every scenario runs with a baseline of its own kind, served the same way (workerd run on its own by the stub's launcher, SQLite ${values.memory ? "in memory (/dev/shm)" : "on disk"}), each warmed up for 1 s first, then in turns (scenario, baseline, baseline, scenario, …) so that the machine's drift falls on both; the ratio is over the whole time, the range is each turn's.`,
		"The stub runs as `npm start` runs it (`node scripts/serve.ts`, its own process tree: the Node launcher, workerd, the watchdog); tree RSS is summed over that tree every 250 ms while the scenario and its baseline ran.",
		"Rows written: the mean of `x-stub-rows-written` over 20 requests after the load (SQL cursors' `rowsWritten`, indexes included).",
		"CPU: share of the machine used during the stub's run by the load tool and workerd, and by every other process.",
		"",
		table(rows),
		"",
		...prepared.map((said) => `Seeded: ${said}.`),
		`Start: \`npm start\` served ${footprint.readyMs.toFixed(0)} ms after it was started (target ≤ ${READY_TARGET_MS} ms: ${metOrNot(footprint.readyMs <= READY_TARGET_MS)}).`,
		`Footprint: the serving tree idles at ${footprint.idleMb.toFixed(0)} MB (target ≤ ${RSS_TARGET.idleMb} MB: ${metOrNot(footprint.idleMb <= RSS_TARGET.idleMb)}) and reached ${footprint.loadedMb.toFixed(0)} MB under load (target ≤ ${RSS_TARGET.loadedMb} MB: ${metOrNot(footprint.loadedMb <= RSS_TARGET.loadedMb)}).`,
		"",
		...(suspect.length ? ["Notes:", "", ...suspect, ""] : []),
	].join("\n");
	console.log(`\n${report}`);
	for (const row of rows) if (row.target) log(`${row.stub.scenario}: ${verdict(row)}`);
	if (!values.only && !values.memory) {
		await writeFile(join(ROOT, "bench", "results", "latest.md"), report);
		log("written to bench/results/latest.md");
	}
}
