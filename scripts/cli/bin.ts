#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// `npx graph-comms-stub`: runs the server (cli.js) in this process, on any Node 20 or newer. The server only
// starts and stops workerd, which serves the Worker on its own, so it needs nothing of a newer Node.
await import(pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), "cli.js")).href);
