import { spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildKey } from "./build-key.ts";
import { bundleTo } from "./server-bundle.ts";
import type { ServedWorker } from "./workerd/config.ts";
import { wranglerOptions, wranglerTomlVars } from "./wrangler-options.ts";
import { writeAtomically } from "./write-atomically.ts";

// Building the Worker from src/ (esbuild, and wrangler for wrangler.toml's options). Kept apart from the
// server (local-stub.ts, which starts workerd) so that a build can run in a process of its own: npm start
// builds in a child process that exits, and its own process never holds esbuild or wrangler.

/** The project root: wrangler.toml, src/ and the default state folder are found from here. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The Worker's options (bindings, Durable Objects, compatibility) minus the script, as wrangler.toml gives them. */
export type WorkerOptions = Omit<ServedWorker, "scriptPath">;

/** A bundled Worker file and the options it is served with. */
export type BuiltWorker = { scriptPath: string; workerOptions: WorkerOptions };

/** npm start's server, bundled beside the Worker it serves (scripts/write-worker.ts). */
export const SERVER_FILE = "server.js";

/** The file next to a built Worker's index.js that holds its options (written by `npm run build`). */
const WORKER_OPTIONS_FILE = "worker-options.json";

/**
 * Bundles src/ into one module (SQL files inlined as text), under the project so workerd can read it.
 * Written to a temporary name and renamed into place, so a reader never sees half a file even when two
 * processes bundle into the same folder at once. esbuild (and wrangler, below) are loaded only when
 * building: the installed package serves a Worker built ahead of time and has neither.
 */
export async function bundleWorker(outDir = join(ROOT, ".wrangler", "local-stub"), root = ROOT): Promise<string> {
	const outfile = join(outDir, "index.js");
	await bundleTo({
		entryPoints: [join(root, "src", "index.ts")],
		// Another checkout of the sources (bench:compare) resolves its packages from this one's.
		nodePaths: [join(ROOT, "node_modules")],
		outfile,
		bundle: true,
		format: "esm",
		platform: "neutral",
		target: "es2024",
		conditions: ["workerd", "worker", "browser"],
		external: ["cloudflare:*", "node:*"],
		loader: { ".sql": "text" },
		logLevel: "warning",
	});
	return outfile;
}

/**
 * Bundles src/ into `outDir` (or takes a bundle already built from it) and reads the Worker's options from
 * wrangler.toml (repository only).
 */
export async function buildWorker(outDir?: string, bundled?: string): Promise<BuiltWorker> {
	const [scriptPath, workerOptions] = await Promise.all([bundled ?? bundleWorker(outDir), wranglerOptions(ROOT)]);
	return { scriptPath, workerOptions };
}

/** Builds the Worker into `outDir` with its options beside it, for the package to serve without wrangler. */
export async function writeBuiltWorker(outDir: string, o: { packaged?: boolean } = {}): Promise<BuiltWorker> {
	const built = await buildWorker(outDir);
	// rootPath is this checkout's folder: meaningless where the package is installed (every path is absolute).
	const { rootPath: _checkout, ...portable } = built.workerOptions;
	// The package gets wrangler.toml's vars alone: never the values of this checkout's .dev.vars or .env.
	if (o.packaged) portable.bindings = await wranglerTomlVars(ROOT);
	await writeAtomically(join(outDir, WORKER_OPTIONS_FILE), `${JSON.stringify(portable, null, "\t")}\n`);
	return { ...built, workerOptions: portable };
}

/** A Worker built by writeBuiltWorker: `dir`/index.js and its options. */
export async function readBuiltWorker(dir: string): Promise<BuiltWorker> {
	const workerOptions = JSON.parse(await readFile(join(dir, WORKER_OPTIONS_FILE), "utf8")) as WorkerOptions;
	return { scriptPath: join(dir, "index.js"), workerOptions };
}

/**
 * Builds the Worker from src/ in a child process (scripts/write-worker.ts) and reads what it wrote: this
 * process then never loads esbuild or wrangler (about 200 MB that would stay for as long as it serves).
 * The last build is reused when nothing it is made from changed (scripts/build-key.ts).
 */
export async function buildWorkerApart(outDir = join(ROOT, ".wrangler", "local-stub")): Promise<BuiltWorker> {
	const keyFile = join(outDir, "build-key");
	const key = await buildKey(ROOT);
	const last = await readFile(keyFile, "utf8").catch(() => undefined);
	if (last === key) {
		const built = await readBuiltWorker(outDir)
			.then(async (worker) => (await stat(worker.scriptPath)) && (await stat(join(outDir, SERVER_FILE))) && worker)
			.catch(() => undefined);
		if (built) return built;
	}
	const child = spawn(process.execPath, [join(ROOT, "scripts", "write-worker.ts"), outDir], {
		stdio: ["ignore", "inherit", "inherit"],
	});
	const status = await new Promise<number | null>((done, fail) => {
		child.once("error", fail);
		child.once("exit", (code) => done(code));
	});
	if (status !== 0) throw new Error(`building the Worker failed (status ${status})`);
	await writeAtomically(keyFile, key);
	return readBuiltWorker(outDir);
}
