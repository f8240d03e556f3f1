import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { startLocalStub } from "../scripts/local-stub.ts";
import { type CpuSnapshot, cpuSnapshot } from "./cpu.ts";

// npm run bench:stalls [-- --seconds 10 --calls 100]: the p99 question. Loads creates over `calls` calls
// and prints, per second of the run, what might explain slow answers: answers over 250 ms, other processes'
// CPU, workerd's CPU, the load tool's event-loop delay, and the size of the SQLite WAL files on disk.
const { values } = parseArgs({
	options: {
		seconds: { type: "string", default: "10" },
		calls: { type: "string", default: "100" },
		connections: { type: "string", default: "50" },
	},
});
const seconds = Math.min(Number(values.seconds), 30);
const calls = Math.max(1, Number(values.calls));
const body = JSON.stringify({ "@odata.type": "#microsoft.graph.playPromptOperation", status: "Running" });

async function walBytes(dir: string): Promise<number> {
	let total = 0;
	for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
		if (entry.isFile() && entry.name.endsWith("-wal"))
			total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
	}
	return total;
}

const stateDir = await mkdtemp(join(tmpdir(), "graph-comms-stub-stalls-"));
const stub = await startLocalStub({ port: 0, stateDir });
try {
	let counter = 0;
	const slow = new Map<number, number>();
	const answered = new Map<number, number>();
	let worst = new Map<number, number>();
	const loop = monitorEventLoopDelay({ resolution: 10 });
	const lines: string[] = [];
	let previous: CpuSnapshot | undefined = cpuSnapshot();
	let second = 0;
	const started = Date.now();
	const sampler = setInterval(async () => {
		const now = cpuSnapshot();
		const at = second++;
		const wal = await walBytes(stateDir);
		let cpu = "–";
		if (previous && now) {
			const total = now.total - previous.total;
			const own = now.own - previous.own;
			const others = now.busy - previous.busy - Math.min(own, now.busy - previous.busy);
			cpu = `others ${Math.round((others / total) * 100)}% workerd ${Math.round(((now.workerd - previous.workerd) / total) * 200)}% of a core`;
		}
		lines.push(
			`${String(at).padStart(3)}s  answers ${String(answered.get(at) ?? 0).padStart(5)}  over 250 ms ${String(slow.get(at) ?? 0).padStart(4)}  worst ${String(worst.get(at) ?? 0).padStart(5)} ms  ${cpu}  load-tool loop delay max ${(loop.max / 1e6).toFixed(0)} ms  WAL ${(wal / 1024).toFixed(0)} KiB`,
		);
		loop.reset();
		previous = now;
	}, 1000);
	loop.enable();
	let instance: autocannon.Instance | undefined;
	const finished = new Promise<autocannon.Result>((resolve, reject) => {
		instance = autocannon(
			{
				url: stub.url.href,
				connections: Number(values.connections),
				duration: seconds,
				requests: [
					{
						method: "POST",
						headers: { Authorization: "Bearer bench-token", "Content-Type": "application/json" },
						body,
						setupRequest: (request) => ({
							...request,
							path: `/beta/communications/calls/stall-${counter++ % calls}/operations`,
						}),
					},
				],
			},
			(error, result) => (error ? reject(error) : resolve(result)),
		);
	});
	instance?.on("response", (_client, _status, _bytes, responseTime) => {
		const at = Math.floor((Date.now() - started) / 1000);
		answered.set(at, (answered.get(at) ?? 0) + 1);
		if (responseTime > 250) slow.set(at, (slow.get(at) ?? 0) + 1);
		worst.set(at, Math.max(worst.get(at) ?? 0, Math.round(responseTime)));
	});
	const result = await finished;
	clearInterval(sampler);
	loop.disable();
	worst = new Map();
	console.log(
		`creates over ${calls} calls, ${seconds} s: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
	);
	console.log(lines.join("\n"));
} finally {
	await stub.dispose();
	await rm(stateDir, { recursive: true, force: true });
}
