import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../src/settings/parse-settings";
import { ORIGIN } from "../helpers/graph";
import { sendWith } from "./helpers";

const base = { ...env } as unknown as Record<string, unknown>;
const messageOf = (vars: Record<string, unknown>) => {
	const parsed = parseSettings({ ...base, ...vars });
	return parsed.ok ? undefined : parsed.message;
};

describe("settings are parsed once, as a whole, and fail closed", () => {
	it("reads the test bindings, with NOTIFICATIONS_PER_MINUTE defaulting to 600", () => {
		const parsed = parseSettings({ ...base, NOTIFICATIONS_PER_MINUTE: undefined });
		expect(parsed.ok && parsed.settings).toMatchObject({
			maxBodyBytes: 65536,
			authMode: "any",
			notificationsPerMinute: 600,
			local: true,
		});
	});

	it.each([
		["MAX_BODY_BYTES", "64k"],
		["MAX_BODY_BYTES", "0"],
		["MAX_BODY_BYTES", undefined],
		["CALL_TTL_SECONDS", "abc"],
		["CALL_TTL_SECONDS", "-5"],
		["DELIVERY_TIMEOUT_MS", "1.5"],
		["DELIVERY_MAX_ATTEMPTS", "abc"],
		["DELIVERY_MAX_ATTEMPTS", "1e3"],
		["DELIVERY_BACKOFF_BASE_MS", ""],
		["NOTIFICATIONS_PER_MINUTE", "lots"],
		["AUTH_MODE", "bearer-ish"],
		["CALLBACK_HOSTS", "bot.example.com, https://x"],
	])("refuses %s = %j, naming it", (name, value) => {
		expect(messageOf({ [name]: value })).toContain(name);
	});

	it("keeps 'bearer' as an alias of 'any'", () => {
		const parsed = parseSettings({ ...base, AUTH_MODE: "bearer" });
		expect(parsed.ok && parsed.settings.authMode).toBe("any");
	});

	it.each([
		[{ AUTH_MODE: "claims", SERVED_FROM: "" }, "AUTH_MODE"],
		[{ AUTH_MODE: "tokens" }, "STUB_TOKENS"],
		[{ AUTH_MODE: "tokens", STUB_TOKENS: "{not json" }, "STUB_TOKENS"],
		[{ AUTH_MODE: "tokens", STUB_TOKENS: "[]" }, "STUB_TOKENS"],
		[{ AUTH_MODE: "tokens", STUB_TOKENS: "{}" }, "STUB_TOKENS"],
		[{ AUTH_MODE: "tokens", STUB_TOKENS: '{"short":"alice"}' }, "STUB_TOKENS"],
		[{ AUTH_MODE: "tokens", STUB_TOKENS: '{"a-long-enough-token":"bad name!"}' }, "STUB_TOKENS"],
		[{ AUTH_MODE: "hs256" }, "STUB_JWT_SECRET"],
		[{ AUTH_MODE: "hs256", STUB_JWT_SECRET: "too-short" }, "STUB_JWT_SECRET"],
		[{ AUTH_MODE: "jwks" }, "STUB_JWKS_URL"],
		[{ AUTH_MODE: "jwks", STUB_JWKS_URL: "not a url" }, "STUB_JWKS_URL"],
		[{ AUTH_MODE: "jwks", STUB_JWKS_URL: "http://idp.example.com/keys" }, "STUB_JWKS_URL"],
	])("refuses a mode without its secret: %j", (vars, name) => {
		expect(messageOf(vars)).toContain(name);
	});

	it("never quotes a secret in its message", () => {
		const message = messageOf({ AUTH_MODE: "tokens", STUB_TOKENS: '{"short-secret":"bad name!"}' });
		expect(message).not.toContain("short-secret");
	});

	it("answers every route but the health check with 500 naming the setting, and nothing else", async () => {
		const bad = { MAX_BODY_BYTES: "64k" };
		for (const path of ["/beta/communications/calls/c/operations", "/_stub/config", "/nowhere"]) {
			const response = await sendWith(bad, "GET", `${ORIGIN}${path}`, { token: "t" });
			expect(response.status).toBe(500);
			const { error } = (await response.json()) as { error: { code: string; message: string } };
			expect(error.code).toBe("UnknownError");
			expect(error.message).toBe(
				"The stub is misconfigured: MAX_BODY_BYTES must be a whole number from 1024 to 16777216.",
			);
		}
		expect((await sendWith(bad, "GET", `${ORIGIN}/_stub/health`)).status).toBe(200);
	});

	it("fails closed on a mode whose secret is missing, before any token is looked at", async () => {
		const response = await sendWith({ AUTH_MODE: "hs256" }, "GET", `${ORIGIN}/_stub/config`, { token: "t" });
		expect(response.status).toBe(500);
		expect(((await response.json()) as { error: { message: string } }).error.message).toContain("STUB_JWT_SECRET");
	});
});
