import { TICKS_PER_SECOND } from "../cpu.ts";
import { sumOverTree } from "../process-tree.ts";

// The CPU time one server's process tree used (Linux /proc; 0 elsewhere): a figure per request that a shared
// machine's other load changes far less than req/s.

/** User + system time, in µs, of `pid` and every process descending from it. */
export function treeCpuUs(pid: number): number {
	const jiffies = sumOverTree(pid, (_, fields) => Number(fields[11]) + Number(fields[12]));
	return (jiffies / TICKS_PER_SECOND) * 1e6;
}
