import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare, type V4WorkerOptions } from "miniflare";
import { type LocalTls, localTls } from "./local-tls.ts";

/** The project root: wrangler.toml, src/ and the default state folder are found from here. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export type LocalStubOptions = {
	host?: string;
	port?: number;
	/** Where Durable Object state is kept between runs. */
	stateDir?: string;
	/** Overrides of wrangler.toml's [vars]. */
	vars?: Record<string, string>;
	/** Serve TLS with a local CA's certificate, made on first start in `dir` (default `<stateDir>/tls`). */
	https?: { dir?: string };
};

export type LocalStub = {
	url: URL;
	stateDir: string;
	/** With https: the CA file a client must trust, and the server certificate's SHA-256 fingerprint. */
	tls: LocalTls | undefined;
	miniflare: Miniflare;
	dispose: () => Promise<void>;
};

/** The Worker's options (bindings, Durable Objects, compatibility) minus the script, as wrangler.toml gives them. */
export type WorkerOptions = Omit<V4WorkerOptions, "modules" | "modulesRoot" | "modulesRules" | "scriptPath">;

/** A bundled Worker file and the options it is served with. */
export type BuiltWorker = { scriptPath: string; workerOptions: WorkerOptions };

/** The file next to a built Worker's index.js that holds its options (written by `npm run build`). */
const WORKER_OPTIONS_FILE = "worker-options.json";

/**
 * Bundles src/ into one module (SQL files inlined as text), under the project so workerd can read it.
 * esbuild (and wrangler, below) are loaded only here, when building: the installed package serves a
 * Worker built ahead of time and has neither.
 */
export async function bundleWorker(outDir = join(ROOT, ".wrangler", "local-stub")): Promise<string> {
	const { build } = await import("esbuild");
	await mkdir(outDir, { recursive: true });
	const outfile = join(outDir, "index.js");
	await build({
		entryPoints: [join(ROOT, "src", "index.ts")],
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

/** Bundles src/ into `outDir` and reads the Worker's options from wrangler.toml (repository only). */
export async function buildWorker(outDir?: string): Promise<BuiltWorker> {
	const scriptPath = await bundleWorker(outDir);
	const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
	// The bundle already inlines the SQL files, so wrangler's module rules are not needed.
	const { modulesRules: _inlined, ...workerOptions } = unstable_getMiniflareWorkerOptions(
		join(ROOT, "wrangler.toml"),
	).workerOptions;
	return { scriptPath, workerOptions };
}

/** Builds the Worker into `outDir` with its options beside it, for the package to serve without wrangler. */
export async function writeBuiltWorker(outDir: string): Promise<BuiltWorker> {
	const built = await buildWorker(outDir);
	// rootPath is this checkout's folder: meaningless where the package is installed (every path is absolute).
	const { rootPath: _checkout, ...portable } = built.workerOptions;
	await writeFile(join(outDir, WORKER_OPTIONS_FILE), `${JSON.stringify(portable, null, "\t")}\n`);
	return { ...built, workerOptions: portable };
}

/** A Worker built by writeBuiltWorker: `dir`/index.js and its options. */
export async function readBuiltWorker(dir: string): Promise<BuiltWorker> {
	const workerOptions = JSON.parse(await readFile(join(dir, WORKER_OPTIONS_FILE), "utf8")) as WorkerOptions;
	return { scriptPath: join(dir, "index.js"), workerOptions };
}

/**
 * Serves the Worker straight from workerd through Miniflare, with the bindings of wrangler.toml:
 * no dev proxy, no inspector, no per-request log lines, no request for a real `Request.cf`.
 * The Worker is built from src/ unless a built one is given (the installed package gives its own).
 */
export async function startLocalStub(options: LocalStubOptions & { worker?: BuiltWorker } = {}): Promise<LocalStub> {
	const { scriptPath, workerOptions } = options.worker ?? (await buildWorker());
	const bindings = { ...(workerOptions.bindings ?? {}), SERVED_FROM: "local", ...options.vars };
	return serveWorker({ ...workerOptions, scriptPath, bindings }, options);
}

/** Serves one ES-module Worker file the way `npm start` does; the benchmark's baseline uses it too. */
export async function serveWorker(
	worker: Omit<V4WorkerOptions, "modules" | "modulesRoot"> & { scriptPath: string },
	options: LocalStubOptions = {},
): Promise<LocalStub> {
	const stateDir = resolve(options.stateDir ?? join(ROOT, ".wrangler", "state", "stub"));
	const tls = options.https ? await localTls(options.https.dir ?? join(stateDir, "tls")) : undefined;
	// wrangler hands out Miniflare 4-shaped worker options; this Miniflare converts them to its own shape.
	const config = convertV4MiniflareOptions({
		workers: [{ ...worker, modules: true, modulesRoot: dirname(worker.scriptPath) }],
		host: options.host ?? "127.0.0.1",
		port: options.port ?? 8787,
		resourcePersistencePath: stateDir,
		cf: false,
		logRequests: false,
		log: new Log(LogLevel.WARN),
		...(tls ? { httpsKey: tls.key, httpsCert: tls.cert } : {}),
	});
	const miniflare = new Miniflare(config);
	const url = await miniflare.ready;
	return { url, stateDir, tls, miniflare, dispose: () => miniflare.dispose() };
}
