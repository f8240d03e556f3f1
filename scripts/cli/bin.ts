#!/usr/bin/env node
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LIFELINE_ENV } from "./contract.ts";
import { serverNode } from "./node22.ts";

// `npx graph-comms-stub`: written for any Node still in use. On Node 22+ it runs the server here;
// on an older Node it runs it with the package's own Node 22, tied to this process by a pipe so
// that the server stops when this process goes, however it goes.
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "cli.js");
const node = await serverNode(import.meta.url);
if (node === process.execPath) {
	await import(pathToFileURL(cli).href);
} else {
	const child = spawn(node, [cli, ...process.argv.slice(2)], {
		stdio: ["inherit", "inherit", "inherit", "pipe"],
		env: { ...process.env, [LIFELINE_ENV]: "3" },
	});
	for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
	child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
