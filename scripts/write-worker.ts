import { join } from "node:path";
import { bundleServer } from "./server-bundle.ts";
import { ROOT, SERVER_FILE, writeBuiltWorker } from "./worker-build.ts";

// node scripts/write-worker.ts <folder>: builds the Worker from src/ into <folder> (index.js and its
// options) and npm start's server beside it (server.js), then exits. npm start runs it as a child process
// (buildWorkerApart).
const [outDir] = process.argv.slice(2);
if (outDir === undefined) throw new Error("usage: node scripts/write-worker.ts <folder>");
await bundleServer(join(ROOT, "scripts", "cli", "checkout-main.ts"), join(outDir, SERVER_FILE));
await writeBuiltWorker(outDir);
