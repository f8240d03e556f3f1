import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildWorker, bundleWorker, type LocalStub, ROOT, startLocalStub } from "../scripts/local-stub.ts";
import { combine, type Measured, measure } from "./load.ts";
import { pair, seed } from "./scenarios.ts";

// npm run bench:compare [-- --ref main --scenario create100 --rounds 6 --seconds 2 --memory]: the working tree
// against another commit, both served at once the same way, measured in alternating turns (A B B A …) so that
// a shared machine's drift falls on both. For a change too small for `npm run bench`'s run-to-run spread.
// Loopback only, bounded: rounds × 2 turns of `seconds`, after a 2 s warm-up each.
const { values } = parseArgs({
	options: {
		ref: { type: "string", default: "HEAD" },
		scenario: { type: "string", default: "create100" }, // any key of bench/scenarios.ts's pairs() but floor
		rounds: { type: "string", default: "6" },
		seconds: { type: "string", default: "2" },
		connections: { type: "string", default: "50" },
		// State in memory (/dev/shm) instead of on disk: without the disk's commit time, CPU differences show.
		memory: { type: "boolean", default: false },
	},
});
if (pair(values.scenario).servedBy) throw new Error(`--scenario ${values.scenario} is not the stub's`);
const rounds = Math.max(1, Math.min(Number(values.rounds), 20));
const seconds = Math.max(1, Math.min(Number(values.seconds), 10));
const connections = Math.max(1, Math.min(Number(values.connections), 200));

const work = await mkdtemp(join(values.memory ? "/dev/shm" : tmpdir(), "graph-comms-stub-compare-"));
const checkout = join(work, "ref");
const servers: LocalStub[] = [];
try {
	// The other commit's sources, bundled with this checkout's packages; both read today's wrangler.toml.
	execFileSync("git", ["-C", ROOT, "worktree", "add", "--detach", "--quiet", checkout, values.ref]);
	const builds = {
		[`ref ${values.ref}`]: await bundleWorker(join(work, "build-ref"), checkout),
		"working tree": await bundleWorker(join(work, "build-tree")),
	};
	for (const [index, scriptPath] of Object.values(builds).entries()) {
		const stub = await startLocalStub({
			port: 0,
			stateDir: join(work, `state-${index}`),
			worker: await buildWorker(undefined, scriptPath),
		});
		servers.push(stub);
		await seed(stub.url);
		await pair(values.scenario).prepare?.(stub.url); // the growth rows' big call or namespace
	}
	const names = Object.keys(builds);
	const scenarios = servers.map(() => pair(values.scenario).stub);
	const turn = (i: number, s: number) =>
		measure(servers[i]?.url.href ?? "", scenarios[i] ?? pair("get").stub, s, connections);
	console.log(
		`${scenarios[0]?.name}: ${names.join(" vs ")}, ${rounds} rounds of ${seconds} s each, ${connections} connections${values.memory ? ", state in memory" : ""}`,
	);
	await turn(0, 2);
	await turn(1, 2);
	const slices: Measured[][] = [[], []];
	for (let round = 0; round < rounds; round++)
		for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) slices[i]?.push(await turn(i, seconds));
	const [ref, tree] = slices.map(combine);
	if (!ref || !tree) throw new Error("nothing measured");
	for (const [i, m] of [ref, tree].entries())
		console.log(
			`${names[i]}: ${m.requestsPerSecond.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, workerd CPU ${m.cpu?.workerdUsPerRequest.toFixed(0) ?? "–"} µs/req, ${m.unexpected} unexpected, ${m.errors} errors`,
		);
	const perTurn = (slices[1] ?? []).map((m, i) => m.requestsPerSecond / (slices[0]?.[i]?.requestsPerSecond ?? 1));
	console.log(
		`working tree / ref: ${(tree.requestsPerSecond / ref.requestsPerSecond).toFixed(3)}× req/s (turns ${perTurn.map((r) => r.toFixed(2)).join(", ")}), p99 ${(tree.p99 / Math.max(ref.p99, 1)).toFixed(2)}×`,
	);
} finally {
	for (const stub of servers) await stub.dispose();
	execFileSync("git", ["-C", ROOT, "worktree", "remove", "--force", checkout], { stdio: "ignore" });
	await rm(work, { recursive: true, force: true });
}
