import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readBuiltWorker } from "../local-stub.ts";
import { runCommand } from "./run.ts";

// The installed package's server (dist/cli.js, Node 20 or newer): serves the Worker built into
// dist/worker by `npm run build`, with state in a temporary folder unless --state says otherwise.
const worker = await readBuiltWorker(join(dirname(fileURLToPath(import.meta.url)), "worker"));
await runCommand(process.argv.slice(2), { command: "npx graph-comms-stub", worker });
