import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readBuiltWorker } from "../local-stub.ts";
import { runCommand } from "./run.ts";

// npm start's server, bundled by the build (scripts/write-worker.ts) into .wrangler/local-stub/server.js
// beside the Worker it serves: the checkout's own state folder (.wrangler/state/stub) by default.
const built = dirname(fileURLToPath(import.meta.url));
const worker = await readBuiltWorker(built);
await runCommand(process.argv.slice(2), {
	command: "npm start --",
	defaultStateDir: join(built, "..", "state", "stub"),
	worker,
	stopWhenOrphaned: true,
});
