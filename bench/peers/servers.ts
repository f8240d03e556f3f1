import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "../../scripts/local-stub.ts";
import { type PeerPackage, PINNED, packageFile } from "./install.ts";

// Each peer a tester might run instead of the stub, started as its own documentation starts it, on a
// free loopback port, answering a call's operations (bench/peers/ holds each one's configuration).
// Each is one process tree of its own, so its RSS is summed as the stub's is (bench/serving-tree.ts).

export type Served = { url: URL; pid: number; dispose: () => Promise<void> };

export type Peer = {
	name: string;
	package: PeerPackage;
	/** `memory`: its state is gone when it stops (every peer here); the stub's --memory mode is its class. */
	durability: "memory";
	/** What differs from the stub's answer, for the report's fairness notes. */
	note: string;
	start: (cache: string, work: string, openApi: string) => Promise<Served>;
};

const HERE = join(ROOT, "bench", "peers");

/** A port nothing listens on now, on loopback. */
export const freePort = () =>
	new Promise<number>((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
		});
	});

/** Spawns `command args` and waits (≤ 60 s) until `url` answers any HTTP request. */
async function served(command: string, args: string[], port: number, cwd = ROOT): Promise<Served> {
	const child = spawn(command, args, { cwd, stdio: "ignore" });
	const url = new URL(`http://127.0.0.1:${port}`);
	const exited = new Promise<never>((_, reject) =>
		child.once("exit", (code) => reject(new Error(`${args[0]} exited (${code}) before it served`))),
	);
	exited.catch(() => {});
	const deadline = Date.now() + 60_000;
	for (;;) {
		try {
			await Promise.race([fetch(new URL("/beta/communications/calls/bench-get/operations", url)), exited]);
			break;
		} catch (error) {
			if (child.exitCode !== null || Date.now() > deadline) {
				child.kill("SIGKILL");
				throw error;
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
	return { url, pid: child.pid ?? 0, dispose: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once("exit", () => resolve());
		child.kill("SIGTERM");
		setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
	});
}

export const PEERS: readonly Peer[] = [
	{
		name: "Prism",
		package: "@stoplight/prism-cli",
		durability: "memory",
		note: "holds no state: it validates each request against the stub's own OpenAPI document (GET /_stub/openapi.json, every route) and answers an example built from the response schema, not what was created; logs at warn (info logs every request)",
		start: async (cache, _work, openApi) => {
			const port = await freePort();
			const node = packageFile(cache, "node", "bin", "node");
			const cli = packageFile(cache, "@stoplight/prism-cli", "dist", "index.js");
			return served(node, [cli, "mock", openApi, "-p", String(port), "-h", "127.0.0.1", "-v", "warn"], port);
		},
	},
	{
		name: "Mockoon",
		package: "@mockoon/cli",
		durability: "memory",
		note: "CRUD routes over data buckets (bench/peers/mockoon-environment.json): one bucket for the call the reads use, one for every other call; the list is a bare array; logs each request to stdout (to /dev/null here), not to a file (-X)",
		start: async (cache) => {
			const port = await freePort();
			const environment = join(HERE, "mockoon-environment.json");
			const cli = packageFile(cache, "@mockoon/cli", "bin", "run.js");
			return served(
				process.execPath,
				[cli, "start", "-d", environment, "-p", String(port), "-l", "127.0.0.1", "-X"],
				port,
			);
		},
	},
	{
		name: "json-server",
		package: "json-server",
		durability: "memory",
		note: "one resource per call named in bench/peers/json-server-db.json, reached through its routes file; its database a JavaScript module, so held in memory (a .json one is rewritten whole on every write); the list is a bare array; --quiet (no request log)",
		start: async (cache, work) => {
			const port = await freePort();
			// json-server 0.17 keeps a database given as a CommonJS module in memory.
			const db = join(work, "json-server-db.cjs");
			await writeFile(db, `module.exports = () => require(${JSON.stringify(join(HERE, "json-server-db.json"))});\n`);
			const cli = packageFile(cache, "json-server", "lib", "cli", "bin.js");
			const routes = join(HERE, "json-server-routes.json");
			const args = [cli, db, "--routes", routes, "--port", String(port), "--host", "127.0.0.1", "--quiet"];
			return served(process.execPath, args, port, work);
		},
	},
	{
		name: "mockttp",
		package: "mockttp",
		durability: "memory",
		note: "bench/peers/mockttp-server.ts: a Map per call, mockttp's defaults (every request recorded for getSeenRequests); listens on every interface (its start() takes no host), driven on loopback",
		start: async (cache) => {
			const port = await freePort();
			const script = join(HERE, "mockttp-server.ts");
			const main = packageFile(cache, "mockttp", "dist", "main.js");
			return served(process.execPath, [script, main, String(port)], port);
		},
	},
];

export const versionOf = (peer: Peer) => `${peer.package}@${PINNED[peer.package]}`;
