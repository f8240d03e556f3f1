import { execFileSync } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { ROOT, writeBuiltWorker } from "./local-stub.ts";
import { bundleServer, NODE_BUNDLE } from "./server-bundle.ts";

// npm run build (and prepack): the installable package's dist/, which needs neither wrangler nor
// esbuild nor TypeScript at run time:
//   dist/worker/index.js            the Worker, bundled (its SQL migrations inlined as text)
//   dist/worker/worker-options.json its bindings, Durable Objects and compatibility, from wrangler.toml
//   dist/cli.js                     the server (scripts/cli/main.ts: the same runCli as `npm start`)
//   dist/bin.js                     `graph-comms-stub`: runs cli.js
//   dist/api.js, api.cjs, api.d.ts  startStub() for test suites, ESM and CommonJS, typed
const dist = join(ROOT, "dist");
await rm(dist, { recursive: true, force: true });
await writeBuiltWorker(join(dist, "worker"), { packaged: true });

// The server, the launcher and the API all run on Node 20 or newer.
await bundleServer(join(ROOT, "scripts/cli/main.ts"), join(dist, "cli.js"));
await build({
	...NODE_BUNDLE,
	entryPoints: [join(ROOT, "scripts/cli/bin.ts")],
	outfile: join(dist, "bin.js"),
	format: "esm",
	target: "node18",
});
const api = join(ROOT, "scripts/cli/api.ts");
await build({ ...NODE_BUNDLE, entryPoints: [api], outfile: join(dist, "api.js"), format: "esm", target: "node18" });
await build({
	...NODE_BUNDLE,
	entryPoints: [api],
	outfile: join(dist, "api.cjs"),
	format: "cjs",
	target: "node18",
	define: { "import.meta.url": "__graphCommsStubUrl" },
	banner: { js: 'const __graphCommsStubUrl = require("node:url").pathToFileURL(__filename).href;' },
});

// The API's declarations, from its source; they must stand alone (no imports of this repository's files).
const declarations = await mkdtemp(join(tmpdir(), "graph-comms-stub-dts-"));
execFileSync(
	process.execPath,
	[
		join(ROOT, "node_modules/typescript/bin/tsc"),
		api,
		...["--declaration", "--emitDeclarationOnly", "--outDir", declarations],
		...["--module", "nodenext", "--target", "es2024", "--types", "node", "--strict", "--skipLibCheck"],
		"--allowImportingTsExtensions",
		"--ignoreConfig",
	],
	{ stdio: "inherit" },
);
const dts = await readFile(join(declarations, "api.d.ts"), "utf8");
if (/^\s*(import|export)\s.*\sfrom\s/m.test(dts)) throw new Error(`dist/api.d.ts must not import other files:\n${dts}`);
await writeFile(join(dist, "api.d.ts"), dts);
await copyFile(join(dist, "api.d.ts"), join(dist, "api.d.cts"));
await rm(declarations, { recursive: true, force: true });
console.log(`built ${dist}`);
