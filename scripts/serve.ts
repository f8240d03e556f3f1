import { dirname, join } from "node:path";
import { buildWorkerApart, ROOT, SERVER_FILE } from "./worker-build.ts";

// npm start [-- --port 9000 --host 0.0.0.0 --state ./somewhere --https --auth-mode optional]: the
// package's CLI (`npx graph-comms-stub`), serving the Worker built from src/ and keeping state in
// .wrangler/state/stub by default. `npm start -- --help` lists every option.
// The Worker and the server are built in a child process (esbuild and wrangler never load here), reused
// while nothing they are made from changed. Then this process becomes the server (execve: same process
// id, same terminal and signals), run as plain JavaScript: a TypeScript process would keep Node's type
// stripper resident (about 20 MB) for as long as the stub serves.
const argv = process.argv.slice(2);
const worker = await buildWorkerApart().catch((error: unknown) => {
	console.error(`graph-comms-stub: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
const server = join(dirname(worker.scriptPath), SERVER_FILE);
if (typeof process.execve === "function") {
	process.execve(process.execPath, [process.execPath, "--max-semi-space-size=1", server, ...argv], process.env);
} else {
	// Where a process cannot replace itself (Windows), the server runs in this one.
	const { runCommand } = await import("./cli/run.ts");
	await runCommand(argv, {
		command: "npm start --",
		defaultStateDir: join(ROOT, ".wrangler", "state", "stub"),
		worker,
	});
}
