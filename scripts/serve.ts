import { join } from "node:path";
import { buildWorkerApart, ROOT } from "./worker-build.ts";

// npm start [-- --port 9000 --host 0.0.0.0 --state ./somewhere --https --auth-mode optional]: the
// package's CLI (`npx graph-comms-stub`), serving the Worker built from src/ and keeping state in
// .wrangler/state/stub by default. `npm start -- --help` lists every option.
// The Worker is built in a child process (esbuild and wrangler never load here) while this process loads
// the server (Miniflare, imported below): the two overlap.
const argv = process.argv.slice(2);
const worker = argv.includes("--help") ? undefined : buildWorkerApart();
worker?.catch(() => {}); // a failed build is reported where it is awaited
const { runCommand } = await import("./cli/run.ts");
await runCommand(argv, {
	command: "npm start --",
	defaultStateDir: join(ROOT, ".wrangler", "state", "stub"),
	worker,
});
