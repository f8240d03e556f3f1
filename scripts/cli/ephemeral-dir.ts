import { mkdtemp, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A stub whose calls are thrown away when it stops has no use for disk commits: its temporary state
// folder goes on a tmpfs (memory), where SQLite's writes and fsyncs cost no disk. workerd keeps SQLite
// Durable Objects only in files (its in-memory storage has no SQL), so a tmpfs is how state stays in memory.

const TMPFS = "/dev/shm";
/** Below this much free, the tmpfs is too small for a test run's calls (a container's default is 64 MiB). */
const MIN_FREE_BYTES = 256 * 1024 * 1024;

async function tmpfsWithRoom(): Promise<string | undefined> {
	if (process.platform !== "linux") return undefined;
	try {
		const fs = await statfs(TMPFS);
		return fs.bavail * fs.bsize >= MIN_FREE_BYTES ? TMPFS : undefined;
	} catch {
		return undefined;
	}
}

/** A fresh temporary state folder: in memory (/dev/shm) where there is room, else in the system's temp folder. */
export async function ephemeralStateDir(): Promise<{ dir: string; memory: boolean }> {
	const tmpfs = await tmpfsWithRoom();
	const dir = await mkdtemp(join(tmpfs ?? tmpdir(), "graph-comms-stub-"));
	return { dir, memory: tmpfs !== undefined };
}
