import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { BuildOptions } from "esbuild";
import { writeAtomically } from "./write-atomically.ts";

// Bundling with esbuild, loaded only when building (the installed package serves what was built ahead):
// the Worker (worker-build.ts) and the server, the CLI that starts and stops workerd, as plain JavaScript
// for Node (the package's dist/cli.js, npm start's .wrangler/local-stub/server.js). Run as JavaScript, the
// server's process never loads Node's TypeScript stripper (about 20 MB resident) while the stub serves.

/**
 * esbuild's options for a Node entry point of scripts/cli: the package's dependencies (workerd, selfsigned)
 * stay imports; everything else the CLI uses (this repository's code, valibot for the settings) is inlined.
 * wrangler and esbuild are only reached when building from src/, which a built server never does.
 */
export const NODE_BUNDLE: BuildOptions = {
	bundle: true,
	platform: "node",
	external: ["workerd", "selfsigned", "wrangler", "esbuild"],
	logLevel: "warning",
};

/** Bundles being built now in this process: esbuild's service stops when the last one is done. */
let bundling = 0;

/**
 * One bundle, written to `options.outfile` atomically: a reader (workerd loading the Worker, npm start
 * running the server) never sees half a file, even when two processes build into one folder.
 */
export async function bundleTo(options: BuildOptions & { outfile: string }): Promise<void> {
	const esbuild = await import("esbuild");
	bundling++;
	const result = await esbuild.build({ ...options, write: false }).finally(async () => {
		// esbuild's service process (about 35 MB) would otherwise stay for the rest of this process's life.
		if (--bundling === 0) await esbuild.stop();
	});
	const [output] = result.outputFiles;
	if (!output) throw new Error(`esbuild wrote no bundle for ${options.outfile}`);
	await mkdir(dirname(options.outfile), { recursive: true });
	await writeAtomically(options.outfile, output.contents);
}

/** Bundles the server entry point `entry` into `outfile` (ESM, for Node 20 and newer). */
export const bundleServer = (entry: string, outfile: string) =>
	bundleTo({ ...NODE_BUNDLE, entryPoints: [entry], outfile, format: "esm", target: "node20" });
