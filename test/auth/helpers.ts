import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type JWTPayload, SignJWT } from "jose";
import worker from "../../src/index";
import { parseSettings, type Settings } from "../../src/settings/parse-settings";

/** The test bindings with some settings changed, parsed: for calling the auth module directly. */
export function settingsWith(vars: Record<string, string>): Settings {
	const parsed = parseSettings({ ...env, ...vars });
	if (!parsed.ok) throw new Error(parsed.message);
	return parsed.settings;
}

/** Sends a request through the Worker's fetch handler with some settings changed (a fresh Env: parsed anew). */
export function sendWith(
	vars: Record<string, string>,
	method: string,
	url: string,
	options: { token?: string; body?: unknown } = {},
): Promise<Response> {
	const headers: Record<string, string> =
		options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
	if (options.body !== undefined) headers["Content-Type"] = "application/json";
	const request = new Request(url, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const handler = worker.fetch as (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>;
	return handler(request, { ...env, ...vars } as Env, createExecutionContext());
}

export const SECRET = "a-test-secret-of-at-least-32-characters!";
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An HS256 JWT with `claims` (exp one hour ahead unless given). */
export function hs256(claims: JWTPayload, secret = SECRET): Promise<string> {
	return new SignJWT({ exp: nowSeconds() + 3600, ...claims })
		.setProtectedHeader({ alg: "HS256" })
		.sign(new TextEncoder().encode(secret));
}

/** An unsecured JWT (`alg: none`), as a forger would write it. */
export const unsecured = (claims: JWTPayload) =>
	`${b64url({ alg: "none", typ: "JWT" })}.${b64url({ exp: nowSeconds() + 3600, ...claims })}.`;

export const b64url = (value: unknown) =>
	btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
