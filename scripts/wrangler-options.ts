import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { WorkerOptions } from "./worker-build.ts";
import { writeAtomically } from "./write-atomically.ts";

// wrangler.toml's Worker options, as wrangler reads them. Loading wrangler takes 1–2 s, far longer than
// bundling, so the options are kept in .wrangler/ under a key made of everything wrangler reads them
// from (wrangler.toml, .dev.vars, .env, wrangler's version, the checkout); any change reads them anew.

const SOURCES = ["wrangler.toml", ".dev.vars", ".env", "node_modules/wrangler/package.json"];

type Cached = { key: string; workerOptions: WorkerOptions };

async function keyOf(root: string): Promise<string> {
	const hash = createHash("sha256").update(root);
	for (const source of SOURCES) {
		const text = await readFile(join(root, source), "utf8").catch(() => "");
		hash.update(`\0${source}\0${text}`);
	}
	return hash.digest("hex");
}

/** The options for the Worker of `root` (minus module rules: the bundle inlines its SQL files). */
export async function wranglerOptions(root: string): Promise<WorkerOptions> {
	const cacheFile = join(root, ".wrangler", "local-stub", "wrangler-options.json");
	const key = await keyOf(root);
	const cached = await readFile(cacheFile, "utf8")
		.then((text) => JSON.parse(text) as Cached)
		.catch(() => undefined);
	if (cached?.key === key) return cached.workerOptions;

	const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
	const { modulesRules: _inlined, ...workerOptions } = unstable_getMiniflareWorkerOptions(
		join(root, "wrangler.toml"),
	).workerOptions;
	await mkdir(dirname(cacheFile), { recursive: true });
	await writeAtomically(cacheFile, JSON.stringify({ key, workerOptions } satisfies Cached));
	return workerOptions;
}

/**
 * wrangler.toml's own [vars], without what wrangler adds from .dev.vars or .env: a checkout's local values
 * (often secrets) that must never be packed into the npm package.
 */
export async function wranglerTomlVars(root: string): Promise<Record<string, unknown>> {
	const { unstable_readConfig } = await import("wrangler");
	return { ...unstable_readConfig({ config: join(root, "wrangler.toml") }).vars };
}
