import { readdirSync, readFileSync } from "node:fs";

// A figure summed over a process and every process descending from it, read from Linux's /proc (0
// elsewhere): the serving tree's RSS (serving-tree.ts), a peer's CPU time (peers/tree-cpu.ts), the load tool's and workerd's (cpu.ts).

/**
 * The sum of `measure(pid, statFields)` over `root` and its descendants; `statFields` are /proc/<pid>/stat's
 * fields after the command name (index 1 is the parent's pid). A process gone meanwhile counts nothing.
 */
export function sumOverTree(root: number, measure: (pid: number, statFields: string[]) => number): number {
	const parent = new Map<number, number>();
	const measured = new Map<number, number>();
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
			measured.set(Number(entry), measure(Number(entry), fields));
		} catch {
			// gone meanwhile
		}
	}
	let total = 0;
	for (const [pid, value] of measured)
		for (let at: number | undefined = pid; at !== undefined && at > 1; at = parent.get(at))
			if (at === root) {
				total += value;
				break;
			}
	return total;
}
