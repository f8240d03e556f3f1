import { join } from "node:path";
import { runCommand } from "./cli/run.ts";
import { ROOT } from "./local-stub.ts";

// npm start [-- --port 9000 --host 0.0.0.0 --state ./somewhere --https --auth-mode optional]: the
// package's CLI (`npx graph-comms-stub`), serving the Worker built from src/ and keeping state in
// .wrangler/state/stub by default. `npm start -- --help` lists every option.
await runCommand(process.argv.slice(2), {
	command: "npm start --",
	defaultStateDir: join(ROOT, ".wrangler", "state", "stub"),
});
