import { defineConfig } from "vitest/config";

// `npm run test:browser`: the live page in headless Chromium (Debian's `chromium`, or CHROMIUM_PATH),
// against the Worker served on loopback as the end-to-end tests serve it. Apart from `npm test`.
export default defineConfig({
	test: {
		name: "browser",
		include: ["test/browser/**/*.test.ts"],
		environment: "node",
		globalSetup: ["test/e2e/helpers/global-setup.ts"],
		testTimeout: 90_000,
		hookTimeout: 60_000,
	},
});
