import { spawn } from "node:child_process";

// Runs in its own small process, a POSIX shell (about 2 MB, where a Node would take 45). Its stdin is a
// pipe from the stub's process, which tells it, as they appear, each process to kill ("pid N") and each
// folder to delete ("dir PATH") should the stub's process die before it disarms the watchdog ("disarm"):
// even a SIGKILL, even in the middle of starting. workerd does not notice its parent's death by itself.
// $1: the temporary state folder (or "").
const WATCHDOG_SCRIPT = `
armed=1
pids=""
dirs="$1"
while IFS= read -r line; do
	case "$line" in
		disarm) armed=0 ;;
		"pid "*) pids="$pids \${line#pid }" ;;
		"dir "*) dirs="$dirs
\${line#dir }" ;;
	esac
done
[ "$armed" = 1 ] || exit 0
for pid in $pids; do kill -9 "$pid" 2>/dev/null; done
printf '%s\\n' "$dirs" | while IFS= read -r dir; do [ -n "$dir" ] && rm -rf -- "$dir"; done
exit 0
`;

export type Watchdog = {
	/** A process it must kill and a folder it must delete (optional) if this process dies first. */
	watch: (pid: number | undefined, dir?: string) => void;
	disarm: () => void;
};

/** Starts the watchdog; none on Windows. */
export function startWatchdog(tempDir: string | undefined): Watchdog {
	if (process.platform === "win32") return { watch: () => {}, disarm: () => {} };
	const child = spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT, "graph-comms-stub-watchdog", tempDir ?? ""], {
		stdio: ["pipe", "ignore", "ignore"],
		detached: true,
	});
	child.unref();
	child.stdin.on("error", () => {});
	return {
		watch: (pid, dir) => {
			// A folder's name is one line: one holding a newline is never asked of it.
			if (pid !== undefined) child.stdin.write(`pid ${pid}\n`);
			if (dir !== undefined && !dir.includes("\n")) child.stdin.write(`dir ${dir}\n`);
		},
		disarm: () => {
			child.stdin.end("disarm\n");
		},
	};
}
