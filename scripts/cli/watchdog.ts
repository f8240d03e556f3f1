import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

// Runs in its own small process, a POSIX shell (about 2 MB, where a Node would take 45). Its stdin is a
// pipe from the stub's process: when that closes without "disarm" first (the stub's process died, even
// by SIGKILL), it kills the workerd processes the stub had started and deletes the temporary state
// folder; workerd does not notice its parent's death. $1: the process ids, $2: the folder (or "").
const WATCHDOG_SCRIPT = `
armed=1
while IFS= read -r line; do [ "$line" = disarm ] && armed=0; done
[ "$armed" = 1 ] || exit 0
for pid in $1; do kill -9 "$pid" 2>/dev/null; done
[ -n "$2" ] && rm -rf -- "$2"
exit 0
`;

export type Watchdog = { disarm: () => void };

/** The ids of this process's child processes (workerd, once it serves). */
function childPids(): number[] {
	if (process.platform === "linux") {
		const pids: number[] = [];
		for (const entry of readdirSync("/proc")) {
			if (!/^\d+$/.test(entry)) continue;
			try {
				const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
				// "pid (comm) state ppid …": comm may hold spaces or parentheses, so read after the last ")".
				const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
				if (ppid === process.pid) pids.push(Number(entry));
			} catch {
				// The process ended while being read.
			}
		}
		return pids;
	}
	const table = execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" });
	return table
		.split("\n")
		.map((line) => line.trim().split(/\s+/).map(Number))
		.filter(([pid, ppid]) => pid !== undefined && ppid === process.pid)
		.map(([pid]) => pid as number);
}

/** Starts the watchdog for the processes this one has started so far; none on Windows. */
export function startWatchdog(tempDir: string | undefined): Watchdog {
	if (process.platform === "win32") return { disarm: () => {} };
	const child = spawn(
		"/bin/sh",
		["-c", WATCHDOG_SCRIPT, "graph-comms-stub-watchdog", childPids().join(" "), tempDir ?? ""],
		{
			stdio: ["pipe", "ignore", "ignore"],
			detached: true,
		},
	);
	child.unref();
	child.stdin.on("error", () => {});
	return {
		disarm: () => {
			child.stdin.end("disarm\n");
		},
	};
}
