import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../../scripts/local-stub.ts";
import { combine, type Measured, measure, SLOW_MS } from "../load.ts";
import { machine, notes } from "../report.ts";
import { pairs, seed } from "../scenarios.ts";
import { sampleRss, serveTree, treeRssMb } from "../serving-tree.ts";
import { installPeers } from "./install.ts";
import { PEERS, type Served, versionOf } from "./servers.ts";
import { footprintTable, met, peersTable, type ScenarioResult, type SideResult } from "./table.ts";
import { treeCpuUs } from "./tree-cpu.ts";

// npm run bench:peers [-- --seconds 6 --rounds 3 --connections 50 --only get --unjournaled-reads]: the stub next to the peers a
// tester might use instead (Prism, Mockoon, json-server, mockttp; pinned, installed on demand into a cache
// folder, never the project's), each answering the same requests: create an operation, get one, list a
// call's. Every server is up for the whole run; each scenario gives each its turns in rotation, the order
// reversed every round, so that a shared machine's drift falls on all alike. Loopback only, bounded.
const { values } = parseArgs({
	options: {
		seconds: { type: "string", default: "6" },
		rounds: { type: "string", default: "3" },
		connections: { type: "string", default: "50" },
		only: { type: "string", default: "" },
		// The stub's namespace configured with requestJournal.reads: false (a GET writes no journal row).
		"unjournaled-reads": { type: "boolean", default: false },
	},
});
const seconds = Math.min(Number(values.seconds), 30);
const rounds = Math.max(1, Math.min(Number(values.rounds), 10));
const slice = Math.max(1, Math.round(seconds / rounds));
const connections = Math.min(Number(values.connections), 200);
const log = (line: string) => process.stderr.write(`${line}\n`);

const SCENARIOS = ["create", "get", "list"] as const;

type Side = { label: string; served: Served };

async function run() {
	const cache = installPeers(log);
	const work = await mkdtemp(join(tmpdir(), "graph-comms-stub-peers-"));
	const sides: Side[] = [];
	const versions = new Map<string, string>([
		["stub --memory", "this checkout"],
		["stub on disk", "this checkout"],
	]);
	try {
		log("starting the stub both ways…");
		const [memory, disk] = await Promise.all([serveTree(undefined), serveTree(join(work, "stub-state"))]);
		sides.push({ label: "stub --memory", served: memory }, { label: "stub on disk", served: disk });
		// Prism mocks from the stub's own description of its routes.
		const openApi = join(work, "openapi.json");
		await writeFile(openApi, await (await fetch(new URL("/_stub/openapi.json", memory.url))).text());
		await mkdir(join(work, "peers"));
		for (const peer of PEERS) {
			log(`starting ${versionOf(peer)}…`);
			sides.push({ label: peer.name, served: await peer.start(cache, join(work, "peers"), openApi) });
			versions.set(peer.name, versionOf(peer));
		}
		if (values["unjournaled-reads"])
			for (const stub of [memory, disk]) {
				const put = await fetch(new URL("/_stub/config", stub.url), {
					method: "PUT",
					headers: { Authorization: "Bearer bench-token", "Content-Type": "application/json" },
					body: JSON.stringify({ requestJournal: { reads: false } }),
				});
				if (put.status !== 200) throw new Error(`configuring the stub failed: ${put.status}`);
			}
		// The operation the reads read: a create of op-1 on every side (Prism stores nothing, answers all the same).
		for (const side of sides) await seed(side.served.url);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const idleMb = new Map(sides.map((side) => [side.label, treeRssMb(side.served.pid)]));
		const loadedMb = new Map<string, number>();
		const results: ScenarioResult[] = [];
		for (const key of SCENARIOS.filter((name) => name.includes(values.only))) {
			const scenario = pairs()[key]?.stub;
			if (!scenario) continue;
			log(`${scenario.name}…`);
			for (const side of sides) await measure(side.served.url.href, scenario, 1, connections);
			const slices = new Map<string, Measured[]>(sides.map((side) => [side.label, []]));
			const rss = new Map<string, number>();
			const cpuUs = new Map<string, number>();
			for (let round = 0; round < rounds; round++) {
				for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
					const stopSampling = sampleRss(side.served.pid);
					const cpuBefore = treeCpuUs(side.served.pid);
					const measured = await measure(side.served.url.href, scenario, slice, connections);
					cpuUs.set(side.label, (cpuUs.get(side.label) ?? 0) + treeCpuUs(side.served.pid) - cpuBefore);
					slices.get(side.label)?.push(measured);
					const { maxMb } = stopSampling();
					rss.set(side.label, Math.max(rss.get(side.label) ?? 0, maxMb));
					loadedMb.set(side.label, Math.max(loadedMb.get(side.label) ?? 0, maxMb));
				}
			}
			const result = (label: string): SideResult => {
				const own = slices.get(label) ?? [];
				const combined = combine(own);
				const cpuUsPerRequest = (cpuUs.get(label) ?? 0) / Math.max(combined.total, 1);
				return { label, slices: own, combined, loadedMb: rss.get(label) ?? 0, cpuUsPerRequest };
			};
			results.push({
				scenario: scenario.name,
				memory: result("stub --memory"),
				disk: result("stub on disk"),
				peers: PEERS.map((peer) => result(peer.name)),
			});
		}
		return { results, idleMb, loadedMb, versions };
	} finally {
		for (const side of sides.reverse()) await side.served.dispose();
		await rm(work, { recursive: true, force: true });
	}
}

const loadBefore = loadavg();
const started = new Date();
const { results, idleMb, loadedMb, versions } = await run();
const loadAfter = loadavg();
const suspect = notes(
	results.flatMap((result) =>
		[result.memory, result.disk, ...result.peers].map((side) => ({
			...side.combined,
			scenario: `${result.scenario}, ${side.label}`,
		})),
	),
	SLOW_MS,
);
const verdicts = results.flatMap((result) => result.peers.map((peer) => met(result, peer)));
const report = [
	"# The stub next to its peers",
	"",
	`${started.toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}${values["unjournaled-reads"] ? "; the stub's namespace configured with `requestJournal.reads: false`" : ""}; load average ${loadBefore.map((l) => l.toFixed(1)).join(" / ")} before, ${loadAfter.map((l) => l.toFixed(1)).join(" / ")} after; ${rounds * slice} s per scenario and per server in ${rounds} turns of ${slice} s, ${connections} connections, loopback, \`npm run bench:peers\`.`,
	"Every server up for the whole run, each warmed up for 1 s per scenario, then in turns (stub in memory, stub on disk, each peer; the order reversed every round); the ratio is over the whole time, the range is each turn's against the stub's turn of the same round. Every peer keeps its state in memory, so each is compared with the stub's `--memory` mode (the target); the on-disk stub is beside it.",
	"CPU µs/req: user + system time of the server's whole process tree over its turns (10 ms ticks), per answer; the stub's tree is the Node launcher and workerd, so both ways of the stub pay for an idle launcher.",
	"",
	peersTable(results),
	"",
	`Targets met: ${verdicts.filter(Boolean).length} of ${verdicts.length}.`,
	"",
	footprintTable(idleMb, loadedMb, versions),
	"",
	"What each peer does differently:",
	"",
	...PEERS.map((peer) => `- ${peer.name} (${versionOf(peer)}): ${peer.note}.`),
	"",
	...(suspect.length ? ["Notes:", "", ...suspect, ""] : []),
].join("\n");
console.log(`\n${report}`);
if (!values.only && !values["unjournaled-reads"]) {
	await writeFile(join(ROOT, "bench", "results", "peers-latest.md"), report);
	log("written to bench/results/peers-latest.md");
}
