import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../../scripts/local-stub.ts";

// `npm start` and the package's CLI run workerd themselves (scripts/workerd/), so workerd is the
// package's runtime dependency, pinned exactly to the one Miniflare brings: one workerd serves the stub,
// runs the test suite (the vitest plugin's Miniflare) and dry-runs the deploy (wrangler's Miniflare).
const packageJson = async (path: string) =>
	JSON.parse(await readFile(join(ROOT, path, "package.json"), "utf8")) as {
		version: string;
		dependencies?: Record<string, string>;
		devDependencies?: Record<string, string>;
	};

it("pins workerd to one exact version, the one Miniflare (of wrangler and the vitest plugin) uses, installed", async () => {
	const own = await packageJson(".");
	const pinned = own.dependencies?.workerd ?? "";
	expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
	expect((await packageJson("node_modules/workerd")).version).toBe(pinned);
	const miniflare = own.devDependencies?.miniflare ?? "";
	expect((await packageJson("node_modules/miniflare")).dependencies?.workerd).toBe(pinned);
	expect((await packageJson("node_modules/wrangler")).dependencies?.miniflare).toBe(miniflare);
	expect((await packageJson("node_modules/@cloudflare/vitest-plugin")).dependencies?.miniflare).toBe(miniflare);
	// Miniflare is for tests and `npm run dev` only: the package never loads it.
	expect(own.dependencies?.miniflare).toBeUndefined();
});
