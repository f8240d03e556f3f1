import type { BuildOptions } from "esbuild";
import { writeAtomically } from "./write-atomically.ts";

// The server (the CLI that starts workerd and stops it) as plain JavaScript for Node: the package's
// dist/cli.js, and npm start's .wrangler/local-stub/server.js. Run as JavaScript, its process never loads
// Node's TypeScript stripper (about 20 MB resident) for as long as the stub serves.

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

/** Bundles the server entry point `entry` into `outfile` (ESM, for Node 20 and newer), written atomically. */
export async function bundleServer(entry: string, outfile: string): Promise<void> {
	const { build } = await import("esbuild");
	const result = await build({
		...NODE_BUNDLE,
		entryPoints: [entry],
		outfile,
		write: false,
		format: "esm",
		target: "node20",
	});
	const [output] = result.outputFiles;
	if (!output) throw new Error(`esbuild wrote no bundle for ${entry}`);
	await writeAtomically(outfile, output.contents);
}
