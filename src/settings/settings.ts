import { GraphError } from "../http/graph-error";
import type { StubRequest } from "../http/stub-request";
import { type ParsedSettings, parseSettings, type Settings } from "./parse-settings";

export type { AuthMode, Settings } from "./parse-settings";

// Parsed once per isolate (per Env object: the tests hand the Worker one Env for the whole run).
const parsed = new WeakMap<object, ParsedSettings>();

function parsedOf(env: Env): ParsedSettings {
	let result = parsed.get(env);
	if (!result) {
		// Secrets (STUB_TOKENS, STUB_JWT_SECRET) are not in wrangler.toml, so not in the generated Env.
		result = parseSettings(env as unknown as Record<string, unknown>);
		if (!result.ok) console.error(`settings: ${result.message}`);
		parsed.set(env, result);
	}
	return result;
}

/** The Worker's settings; a bad setting is 500 `UnknownError` naming it (fail closed, nothing else said). */
export function settingsOf(env: Env): Settings {
	const result = parsedOf(env);
	if (!result.ok) throw new GraphError(500, "UnknownError", `The stub is misconfigured: ${result.message}.`);
	return result.settings;
}

/** The router's `before` stage: every route but the health check needs sound settings. */
export function withSettings(request: StubRequest, env: Env): undefined {
	if (request.meta.path !== "/_stub/health") settingsOf(env);
}
