import { writeBuiltWorker } from "./worker-build.ts";

// node scripts/write-worker.ts <folder>: builds the Worker from src/ into <folder> (index.js and its
// options), then exits. npm start runs it as a child process (buildWorkerApart).
const [outDir] = process.argv.slice(2);
if (outDir === undefined) throw new Error("usage: node scripts/write-worker.ts <folder>");
await writeBuiltWorker(outDir);
