import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		projects: [
			{
				// Inside workerd: the Worker, its Durable Objects and their storage, through the vitest plugin.
				plugins: [
					cloudflareTest({
						wrangler: { configPath: "./wrangler.toml" },
						miniflare: { bindings: { SERVED_FROM: "local" } },
					}),
				],
				test: { name: "workers", include: ["test/**/*.test.ts"], exclude: ["test/e2e/**", "test/node/**"] },
			},
			{
				// In Node: the real Worker served by Miniflare on loopback, driven by real HTTP clients;
				// and checks of the repository's own files.
				test: {
					name: "node",
					include: ["test/e2e/**/*.test.ts", "test/node/**/*.test.ts"],
					environment: "node",
					testTimeout: 60_000,
					hookTimeout: 60_000,
				},
			},
		],
	},
});
