import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../../scripts/local-stub.ts";

// `npm start` serves on Miniflare's `unsafeDirectSockets` (scripts/local-stub.ts), an `unsafe…` option
// that may change in any release: the version is pinned exactly, and must stay the one wrangler and the
// vitest plugin bring, so that one workerd serves, tests and dry-runs the Worker.
const packageJson = async (path: string) =>
	JSON.parse(await readFile(join(ROOT, path, "package.json"), "utf8")) as {
		version: string;
		dependencies?: Record<string, string>;
		devDependencies?: Record<string, string>;
	};

it("pins miniflare to one exact version, the one wrangler and the vitest plugin use, and has it installed", async () => {
	const own = await packageJson(".");
	// A runtime dependency of the package (it serves the Worker), so in dependencies, not devDependencies.
	const pinned = own.dependencies?.miniflare ?? "";
	expect(pinned).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
	expect((await packageJson("node_modules/miniflare")).version).toBe(pinned);
	expect((await packageJson("node_modules/wrangler")).dependencies?.miniflare).toBe(pinned);
	expect((await packageJson("node_modules/@cloudflare/vitest-plugin")).dependencies?.miniflare).toBe(pinned);
});

it("has the direct-socket API the local server relies on", async () => {
	const types = await readFile(join(ROOT, "node_modules", "miniflare", "dist", "src", "index.d.ts"), "utf8");
	expect(types).toContain("unsafeGetDirectURL(workerName?: string, entrypoint?: string): Promise<URL>;");
	expect(types).toMatch(/unsafeDirectSockets\?: Array<\{\s+host\?: string;\s+port\?: number;/);
});
