import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { wranglerOptions, wranglerTomlVars } from "../../scripts/wrangler-options.ts";

// npm run build packs dist/worker/worker-options.json into the package: it must carry wrangler.toml's
// vars alone, never the values of a checkout's .dev.vars (wrangler's place for local secrets).
const root = await mkdtemp(join(tmpdir(), "graph-comms-stub-vars-"));
afterAll(() => rm(root, { recursive: true, force: true }));

it("keeps .dev.vars out of the vars the package is built with, while npm start still reads them", async () => {
	await writeFile(
		join(root, "wrangler.toml"),
		'name = "vars-check"\nmain = "index.js"\ncompatibility_date = "2026-11-01"\n[vars]\nAUTH_MODE = "any"\n',
	);
	await writeFile(join(root, "index.js"), "export default { fetch: () => new Response('') };\n");
	await writeFile(join(root, ".dev.vars"), "STUB_JWT_SECRET=local-secret-0123456789abcdef0123456789\n");
	expect(await wranglerTomlVars(root)).toEqual({ AUTH_MODE: "any" });
	// The local server (npm start) honours .dev.vars, as wrangler dev does.
	expect((await wranglerOptions(root)).bindings).toMatchObject({
		AUTH_MODE: "any",
		STUB_JWT_SECRET: "local-secret-0123456789abcdef0123456789",
	});
});
