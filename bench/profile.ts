import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startLocalStub } from "../scripts/local-stub.ts";
import { measure } from "./load.ts";
import { pair, seed, serveBaseline } from "./scenarios.ts";

// npm run bench:profile [-- --scenario get --seconds 5]: where workerd's CPU goes for one scenario, from a
// V8 CPU profile taken through workerd's inspector while the load runs. Loopback only, bounded in time.
const { values } = parseArgs({
	options: {
		scenario: { type: "string", default: "get" }, // create100, create, refused, get, floor, list
		seconds: { type: "string", default: "5" },
		top: { type: "string", default: "25" },
		// Profiles the scenario's baseline (bench/baseline-worker.js) instead of the stub, to compare.
		baseline: { type: "boolean", default: false },
	},
});
const chosenPair = pair(values.scenario);
// The baseline Worker serves the pair's baseline, and a floor's own scenario.
const onBaseline = values.baseline || chosenPair.servedBy === "baseline";
const chosen = values.baseline ? chosenPair.baseline : chosenPair.stub;

type ProfileNode = {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** A minimal Chrome DevTools Protocol session over the inspector's WebSocket. */
async function devtools(url: string) {
	const socket = new WebSocket(url);
	await new Promise((resolve, reject) => {
		socket.onopen = resolve;
		socket.onerror = reject;
	});
	let next = 1;
	const waiting = new Map<number, (result: unknown) => void>();
	socket.onmessage = (event) => {
		const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
		if (message.id !== undefined) waiting.get(message.id)?.(message.result);
	};
	return {
		send: <T>(method: string, params: Record<string, unknown> = {}) =>
			new Promise<T>((resolve) => {
				const id = next++;
				waiting.set(id, resolve as (result: unknown) => void);
				socket.send(JSON.stringify({ id, method, params }));
			}),
		close: () => socket.close(),
	};
}

const stateDir = await mkdtemp(join(tmpdir(), "graph-comms-stub-profile-"));
const served = { port: 0, stateDir, inspectorPort: 0 };
const stub = onBaseline ? await serveBaseline(served) : await startLocalStub(served);
try {
	await seed(stub.url, onBaseline);
	if (!onBaseline) await chosenPair.prepare?.(stub.url); // the growth rows' big call or namespace
	const inspector = stub.inspector;
	if (!inspector) throw new Error("workerd opened no inspector");
	const targets = (await (await fetch(`http://${inspector.host}/json`)).json()) as {
		title: string;
		webSocketDebuggerUrl: string;
	}[];
	const target = targets.find((t) => t.title.includes("graph-comms-stub")) ?? targets[0];
	if (!target) throw new Error("no inspector target");
	const session = await devtools(target.webSocketDebuggerUrl);
	await session.send("Profiler.enable");
	await session.send("Profiler.setSamplingInterval", { interval: 100 });
	await measure(stub.url.href, chosen, 1, 50); // warm-up
	await session.send("Profiler.start");
	const measured = await measure(stub.url.href, chosen, Number(values.seconds), 50);
	const { profile } = await session.send<{ profile: Profile }>("Profiler.stop");
	session.close();

	// Self time per function, and inclusive time per function (each sample counted once per function).
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const label = (node: ProfileNode) => {
		const file = node.callFrame.url.split("/").pop() ?? "";
		return `${node.callFrame.functionName || "(anonymous)"} ${file}${file ? `:${node.callFrame.lineNumber + 1}` : ""}`;
	};
	const self = new Map<string, number>();
	const inclusive = new Map<string, number>();
	let total = 0;
	profile.samples.forEach((sample, i) => {
		const delta = profile.timeDeltas[i] ?? 0;
		total += delta;
		const node = byId.get(sample);
		if (!node) return;
		self.set(label(node), (self.get(label(node)) ?? 0) + delta);
		const seen = new Set<string>();
		for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
			const at = byId.get(id);
			if (!at) break;
			const name = label(at);
			if (seen.has(name)) continue;
			seen.add(name);
			inclusive.set(name, (inclusive.get(name) ?? 0) + delta);
		}
	});
	const perRequest = (us: number) => (us / measured.total).toFixed(1);
	const top = Number(values.top);
	const show = (title: string, map: Map<string, number>) => {
		console.log(`\n${title} (µs per request, of ${perRequest(total)} µs sampled in the isolate's thread)`);
		for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
			console.log(`${perRequest(us).padStart(8)}  ${name}`);
	};
	console.log(`${chosen.name}: ${measured.total} requests, ${measured.requestsPerSecond.toFixed(0)} req/s`);
	show("self time", self);
	show("inclusive time", inclusive);
} finally {
	await stub.dispose();
	await rm(stateDir, { recursive: true, force: true });
}
