import { join } from "node:path";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { localTls } from "./scripts/local-tls.ts";

// The end-to-end tests' own local CA. Node reads NODE_EXTRA_CA_CERTS only when a process starts, so it
// is set here, before vitest forks the test processes: they trust stubs served with this folder's cert.
const testTls = join(import.meta.dirname, ".wrangler", "test-tls");
process.env.NODE_EXTRA_CA_CERTS = (await localTls(testTls)).caPath;
process.env.STUB_TEST_TLS_DIR = testTls;

export default defineConfig({
	test: {
		// A test file's end closes its workerd environment while a Durable Object may still be delivering a
		// notification by its own alarm (real background work, not awaited by any test): the call it had
		// pending to the runner is then rejected with this teardown error. That says nothing about the stub,
		// and only that one error is let through; every other unhandled error still fails the run.
		onUnhandledError: (error) =>
			!(error.name === "EnvironmentTeardownError" && /Closing rpc while/.test(error.message ?? "")),
		projects: [
			{
				// Inside workerd: the Worker, its Durable Objects and their storage, through the vitest plugin.
				plugins: [
					cloudflareTest({
						wrangler: { configPath: "./wrangler.toml" },
						// No real retry fires during a test: tests make retries due themselves (test/simulation/helpers.ts).
						miniflare: { bindings: { SERVED_FROM: "local", DELIVERY_BACKOFF_BASE_MS: "3600000" } },
					}),
				],
				test: {
					name: "workers",
					include: ["test/**/*.test.ts"],
					exclude: ["test/e2e/**", "test/node/**", "test/browser/**", "test/**/*.node.test.ts"],
					globalSetup: ["test/receiver/global-setup.ts"],
				},
			},
			{
				// In Node: the real Worker served as npm start serves it (workerd run on its own, plain http),
				// driven by real HTTP clients; and checks of the repository's own files.
				test: {
					name: "node",
					include: ["test/e2e/**/*.test.ts", "test/node/**/*.test.ts", "test/openapi/**/*.node.test.ts"],
					environment: "node",
					globalSetup: ["test/e2e/helpers/global-setup.ts"],
					testTimeout: 60_000,
					hookTimeout: 60_000,
				},
			},
			{
				// The same end-to-end files again, served the other way `npm start` can: https, TLS ended in
				// workerd itself. Both must answer byte for byte alike but for the scheme.
				test: {
					name: "node-https",
					include: ["test/e2e/**/*.test.ts"],
					exclude: ["test/e2e/https.test.ts"],
					environment: "node",
					env: { STUB_E2E_SERVING: "https" },
					globalSetup: ["test/e2e/helpers/global-setup.ts"],
					testTimeout: 60_000,
					hookTimeout: 60_000,
				},
			},
		],
	},
});
