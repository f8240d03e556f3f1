import { readFileSync } from "node:fs";
import { sumOverTree } from "./process-tree.ts";

/** Jiffies: the machine's busy and total time; this process's (the load tool) and its descendants' (workerd). */
export type CpuSnapshot = { busy: number; total: number; own: number; workerd: number };

/** Clock ticks per second of /proc's figures (USER_HZ; 100 on Linux). */
export const TICKS_PER_SECOND = 100;

const read = (path: string) => {
	try {
		return readFileSync(path, "utf8");
	} catch {
		return undefined;
	}
};

/** Linux /proc only; undefined elsewhere (the report then leaves the column empty). */
export function cpuSnapshot(): CpuSnapshot | undefined {
	const line = read("/proc/stat")?.split("\n")[0];
	if (!line) return undefined;
	const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
		.trim()
		.split(/\s+/)
		.slice(1)
		.map(Number);
	const busy = user + nice + system + irq + softirq + steal;
	// This process and everything it started (workerd): utime + stime of each.
	let self = 0;
	const own = sumOverTree(process.pid, (pid, fields) => {
		const jiffies = Number(fields[11]) + Number(fields[12]);
		if (pid === process.pid) self = jiffies;
		return jiffies;
	});
	const workerd = own - self;
	return { busy, total: busy + idle + iowait, own, workerd };
}

/**
 * Over an interval: shares of the machine's CPU (ours: load tool + workerd; others: every other process),
 * and workerd's CPU time per request in microseconds (10 ms ticks: about ±1 % over a 5 s run).
 */
export function cpuShares(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined, requests: number) {
	if (!before || !after || after.total <= before.total) return undefined;
	const total = after.total - before.total;
	const own = Math.min(after.own - before.own, after.busy - before.busy);
	const workerdUs = ((after.workerd - before.workerd) / TICKS_PER_SECOND) * 1e6;
	return {
		own: own / total,
		others: (after.busy - before.busy - own) / total,
		workerdUsPerRequest: workerdUs / requests,
	};
}
