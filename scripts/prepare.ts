import { buildWorkerApart } from "./worker-build.ts";

// npm install's `prepare` step in this checkout: builds the Worker and npm start's server ahead, so the
// first `npm start` after an install serves at once (about 0.35 s) instead of building first (about 1.7 s,
// most of it wrangler reading wrangler.toml). A build that fails here is not fatal: npm start builds again
// and reports it.
await buildWorkerApart().catch((error: unknown) => {
	console.warn(`graph-comms-stub: building ahead failed (npm start will try again): ${(error as Error).message}`);
});
