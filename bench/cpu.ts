import { readdirSync, readFileSync } from "node:fs";

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
	const parent = new Map<number, number>();
	const used = new Map<number, number>();
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = read(`/proc/${entry}/stat`);
		if (!stat) continue;
		// The command name may hold spaces: fields are counted after its closing parenthesis.
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		parent.set(Number(entry), Number(fields[1]));
		used.set(Number(entry), Number(fields[11]) + Number(fields[12]));
	}
	const mine = (pid: number): boolean => {
		for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p))
			if (p === process.pid) return true;
		return false;
	};
	let own = 0;
	let workerd = 0;
	for (const [pid, jiffies] of used) {
		if (!mine(pid)) continue;
		own += jiffies;
		if (pid !== process.pid) workerd += jiffies;
	}
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
