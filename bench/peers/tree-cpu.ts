import { readdirSync, readFileSync } from "node:fs";
import { TICKS_PER_SECOND } from "../cpu.ts";

// The CPU time one server's process tree used (Linux /proc; 0 elsewhere): a figure per request that a shared
// machine's other load changes far less than req/s.

/** User + system time, in µs, of `pid` and every process descending from it. */
export function treeCpuUs(pid: number): number {
	const parent = new Map<number, number>();
	const used = new Map<number, number>();
	let entries: string[] = [];
	try {
		entries = readdirSync("/proc");
	} catch {
		return 0;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
			const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
			parent.set(Number(entry), Number(fields[1]));
			used.set(Number(entry), Number(fields[11]) + Number(fields[12]));
		} catch {
			// gone meanwhile
		}
	}
	let jiffies = 0;
	for (const [p, own] of used)
		for (let at: number | undefined = p; at !== undefined && at > 1; at = parent.get(at))
			if (at === pid) {
				jiffies += own;
				break;
			}
	return (jiffies / TICKS_PER_SECOND) * 1e6;
}
