import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../scripts/local-stub.ts";
import { sumOverTree } from "./process-tree.ts";

// The stub served as `npm start` serves it (scripts/serve.ts, its own process tree: the Node launcher,
// workerd, the watchdog), so that the bench can sum the RSS of exactly the tree that serves requests.

export type ServedTree = {
	url: URL;
	pid: number;
	/** From the spawn to the ready line: how long `npm start` takes to serve (a build already made). */
	readyMs: number;
	dispose: () => Promise<void>;
};

/** Starts `node scripts/serve.ts` on a free loopback port; `stateDir` on disk, or undefined: --memory. */
export async function serveTree(stateDir: string | undefined): Promise<ServedTree> {
	const args = [join(ROOT, "scripts", "serve.ts"), "--port", "0", "--json"];
	args.push(...(stateDir === undefined ? ["--memory"] : ["--state", stateDir]));
	const started = performance.now();
	const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] });
	const url = await new Promise<URL>((resolve, reject) => {
		let out = "";
		const timer = setTimeout(() => reject(new Error("the stub did not start in 60 s")), 60_000);
		child.stdout?.on("data", (chunk: Buffer) => {
			out += chunk.toString();
			const line = out.split("\n").find((l) => l.startsWith("{"));
			if (!line) return;
			clearTimeout(timer);
			resolve(new URL((JSON.parse(line) as { url: string }).url));
		});
		child.once("exit", (code) => reject(new Error(`the stub exited (${code}) before it served`)));
	});
	return { url, pid: child.pid ?? 0, readyMs: performance.now() - started, dispose: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once("exit", () => resolve());
		child.kill("SIGTERM");
		setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
	});
}

const PAGE_KB = 4;

/** RSS in MB summed over `pid` and every process descending from it (Linux /proc; 0 elsewhere). */
export function treeRssMb(pid: number): number {
	const kb = sumOverTree(pid, (one) => Number(readFileSync(`/proc/${one}/statm`, "utf8").split(" ")[1]) * PAGE_KB);
	return kb / 1024;
}

/** Samples the tree's RSS every 250 ms until stopped: the highest and the mean. */
export function sampleRss(pid: number) {
	const samples: number[] = [treeRssMb(pid)];
	const timer = setInterval(() => samples.push(treeRssMb(pid)), 250);
	return () => {
		clearInterval(timer);
		samples.push(treeRssMb(pid));
		return { maxMb: Math.max(...samples), meanMb: samples.reduce((a, b) => a + b, 0) / samples.length };
	};
}
