import { describe, expect, it } from "vitest";
import { capnpString, workerdConfig } from "../../scripts/workerd/config.ts";

// The workerd configuration npm start, the package's CLI and the tests' e2e stubs run: built from
// wrangler.toml's options, refusing what it cannot serve, and never holding a var's value.
const worker = {
	scriptPath: "/srv/build/index.js",
	compatibilityDate: "2026-11-01",
	bindings: { AUTH_MODE: "tokens", STUB_TOKENS: "secret-token-1,secret-token-2", LIMITS: { n: 1 } },
	durableObjects: { CALLS: { className: "CallOperations", useSQLite: true } },
};
const place = { configDir: "/tmp/cfg", stateDir: "/var/state", listen: { host: "127.0.0.1", port: 0 } };

describe("workerdConfig", () => {
	it("passes string vars through the environment: no value is written into the file", () => {
		const { text, env } = workerdConfig(worker, place);
		expect(text).not.toContain("secret-token-1");
		expect(text).toContain('(name = "STUB_TOKENS", fromEnvironment = "GRAPH_COMMS_STUB_VAR_STUB_TOKENS")');
		expect(env.GRAPH_COMMS_STUB_VAR_STUB_TOKENS).toBe("secret-token-1,secret-token-2");
		expect(text).toContain('(name = "LIMITS", json = "{\\"n\\":1}")');
	});

	it("keeps each SQLite class under the unique key Miniflare gave it, in <state>/do, and embeds the bundle relative to the file", () => {
		const { text } = workerdConfig(worker, place);
		expect(text).toContain('(className = "CallOperations", uniqueKey = "-CallOperations", enableSql = true)');
		expect(text).toContain('disk = (path = "/var/state/do", writable = true)');
		expect(text).toContain('esModule = embed "../../srv/build/index.js"');
		expect(text).toContain('address = "127.0.0.1:0", http = ()');
		expect(text).toContain('v8Flags = ["--max-semi-space-size=1"]');
	});

	it("serves https with the key pair given, and brackets an IPv6 address", () => {
		const { text } = workerdConfig(worker, {
			...place,
			listen: { host: "::1", port: 8443, tls: { key: "KEY\nLINE", cert: "CERT" } },
		});
		expect(text).toContain('address = "[::1]:8443"');
		expect(text).toContain('keypair = (privateKey = "KEY\\nLINE", certificateChain = "CERT")');
	});

	it.each([
		["a KV namespace", { kvNamespaces: { KV: "id" } }, /kvNamespaces/],
		["a Durable Object without SQLite", { durableObjects: { X: { className: "X" } } }, /must use SQLite/],
		[
			"another Worker's class",
			{ durableObjects: { X: { className: "X", useSQLite: true, scriptName: "w" } } },
			/another Worker/,
		],
		["a var named like no identifier", { bindings: { "A-B": "x" } }, /identifier/],
		["no compatibility date", { compatibilityDate: undefined }, /compatibility_date/],
	])("refuses %s rather than serve without it", (_what, change, message) => {
		expect(() => workerdConfig({ ...worker, ...change }, place)).toThrow(message);
	});

	it("accepts the empty options wrangler always hands out", () => {
		expect(() =>
			workerdConfig({ ...worker, kvNamespaces: {}, tails: [], email: { send_email: [] }, rootPath: "/x" }, place),
		).not.toThrow();
	});
});

describe("capnpString", () => {
	it("escapes quotes, backslashes and control characters, and keeps the rest as written", () => {
		expect(capnpString('a"b\\c\nd\te\u0000f é 💬')).toBe('"a\\"b\\\\c\\nd\\x09e\\x00f é 💬"');
	});
});
