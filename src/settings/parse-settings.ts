import * as v from "valibot";

// The Worker's settings (wrangler.toml [vars] and secrets), parsed once and checked as a whole: a bad
// value fails closed with a message naming the setting, never a silent default. No relative imports:
// the CLI (scripts/cli/run.ts) loads this file in Node to refuse to start with the same message.

export const AUTH_MODES = ["any", "optional", "claims", "tokens", "hs256", "jwks"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** `tokens` mode: the bots (and tenant) a namespace's notifications may be signed for; none for a plain name. */
type SigningGrant = { botAppIds: readonly string[]; tenantId: string | undefined };

export type Settings = {
	maxBodyBytes: number;
	callTtlSeconds: number;
	deliveryTimeoutMs: number;
	deliveryMaxAttempts: number;
	deliveryBackoffBaseMs: number;
	notificationsPerMinute: number;
	/** MEETINGS_PER_NAMESPACE: meetings a namespace may hold at once (tester-made and join-made alike). */
	meetingsPerNamespace: number;
	authMode: AuthMode;
	/** `tokens` mode: token → namespace name. */
	tokens: ReadonlyMap<string, string>;
	/** `tokens` mode: namespace name → whom its notifications may be signed for (every token of a name grants the same). */
	signingGrants: ReadonlyMap<string, SigningGrant>;
	/** `hs256` mode. */
	jwtSecret: string | undefined;
	/** `jwks` mode. */
	jwksUrl: URL | undefined;
	jwtAudience: string | undefined;
	jwtIssuer: string | undefined;
	/** STUB_RECORDING_SECRET: seals recording URLs; unset, the deployment makes and keeps its own. */
	recordingSecret: string | undefined;
	/** CALLBACK_HOSTS: exact host names, or `*.suffix` patterns (kept as `.suffix`). */
	callbackHosts: readonly string[];
	/** SERVED_FROM; `local` means served on this machine (`npm start`, the tests). */
	servedFrom: string;
	local: boolean;
};

export type ParsedSettings = { ok: true; settings: Settings } | { ok: false; message: string };

const whole = (name: string, min: number, max: number, fallback?: number) =>
	v.pipe(
		fallback === undefined ? v.string(`${name} is not set`) : v.optional(v.string(`${name} must be a string`), ""),
		v.transform((text) => text.trim()),
		v.check(
			(text) => (text === "" && fallback !== undefined) || (/^\d+$/.test(text) && inRange(Number(text), min, max)),
			`${name} must be a whole number from ${min} to ${max}`,
		),
		v.transform((text) => (text === "" ? (fallback ?? 0) : Number(text))),
	);

const inRange = (n: number, min: number, max: number) => Number.isSafeInteger(n) && n >= min && n <= max;

const optionalText = (name: string) =>
	v.pipe(
		v.optional(v.string(`${name} must be a string`), ""),
		v.transform((text) => text.trim() || undefined),
	);

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;
const HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

const Vars = v.object({
	MAX_BODY_BYTES: whole("MAX_BODY_BYTES", 1024, 16 * 1024 * 1024),
	CALL_TTL_SECONDS: whole("CALL_TTL_SECONDS", 1, 365 * 86_400),
	DELIVERY_TIMEOUT_MS: whole("DELIVERY_TIMEOUT_MS", 1, 300_000),
	DELIVERY_MAX_ATTEMPTS: whole("DELIVERY_MAX_ATTEMPTS", 1, 100),
	DELIVERY_BACKOFF_BASE_MS: whole("DELIVERY_BACKOFF_BASE_MS", 1, 86_400_000),
	NOTIFICATIONS_PER_MINUTE: whole("NOTIFICATIONS_PER_MINUTE", 1, 1_000_000, 600),
	MEETINGS_PER_NAMESPACE: whole("MEETINGS_PER_NAMESPACE", 1, 10_000, 100),
	AUTH_MODE: v.pipe(
		v.optional(v.string("AUTH_MODE must be a string"), "any"),
		v.transform((mode) => (mode.trim() === "" || mode.trim() === "bearer" ? "any" : mode.trim())),
		v.picklist(AUTH_MODES, `AUTH_MODE must be one of ${AUTH_MODES.join(", ")}`),
	),
	STUB_TOKENS: optionalText("STUB_TOKENS"),
	STUB_JWT_SECRET: optionalText("STUB_JWT_SECRET"),
	STUB_JWKS_URL: optionalText("STUB_JWKS_URL"),
	STUB_JWT_AUDIENCE: optionalText("STUB_JWT_AUDIENCE"),
	STUB_JWT_ISSUER: optionalText("STUB_JWT_ISSUER"),
	STUB_RECORDING_SECRET: v.pipe(
		optionalText("STUB_RECORDING_SECRET"),
		v.check(
			(secret) => secret === undefined || secret.length >= 32,
			"STUB_RECORDING_SECRET must be at least 32 characters when set",
		),
	),
	CALLBACK_HOSTS: v.pipe(
		v.optional(v.string("CALLBACK_HOSTS must be a string"), ""),
		v.transform((list) =>
			list
				.split(",")
				.map((host) => host.trim().toLowerCase())
				.filter(Boolean),
		),
		v.check(
			(hosts) => hosts.every((host) => HOST.test(host)),
			"CALLBACK_HOSTS must be a comma-separated list of host names, each optionally starting with *.",
		),
		v.transform((hosts) => hosts.map((host) => (host.startsWith("*.") ? host.slice(1) : host))),
	),
	SERVED_FROM: v.optional(v.string("SERVED_FROM must be a string"), ""),
});

/** Parses the environment (vars and secrets); the first failing setting's message, else the settings. */
export function parseSettings(env: Record<string, unknown>): ParsedSettings {
	const result = v.safeParse(Vars, env);
	if (!result.success) return { ok: false, message: result.issues[0].message };
	const vars = result.output;
	const mode = vars.AUTH_MODE;
	// Anyone can write a JWT naming someone else's tenant: never serve unverified claims beyond this machine.
	if (mode === "claims" && vars.SERVED_FROM !== "local")
		return { ok: false, message: "AUTH_MODE claims is only for a stub served locally (SERVED_FROM = local)" };
	const listed = mode === "tokens" ? parseTokens(vars.STUB_TOKENS) : NO_TOKENS;
	if (typeof listed === "string") return { ok: false, message: listed };
	if (mode === "hs256" && (vars.STUB_JWT_SECRET?.length ?? 0) < 32)
		return { ok: false, message: "STUB_JWT_SECRET must be set to at least 32 characters when AUTH_MODE is hs256" };
	const jwksUrl = mode === "jwks" ? parseJwksUrl(vars.STUB_JWKS_URL) : undefined;
	if (typeof jwksUrl === "string") return { ok: false, message: jwksUrl };
	return {
		ok: true,
		settings: {
			maxBodyBytes: vars.MAX_BODY_BYTES,
			callTtlSeconds: vars.CALL_TTL_SECONDS,
			deliveryTimeoutMs: vars.DELIVERY_TIMEOUT_MS,
			deliveryMaxAttempts: vars.DELIVERY_MAX_ATTEMPTS,
			deliveryBackoffBaseMs: vars.DELIVERY_BACKOFF_BASE_MS,
			notificationsPerMinute: vars.NOTIFICATIONS_PER_MINUTE,
			meetingsPerNamespace: vars.MEETINGS_PER_NAMESPACE,
			authMode: mode,
			tokens: listed.tokens,
			signingGrants: listed.signingGrants,
			jwtSecret: mode === "hs256" ? vars.STUB_JWT_SECRET : undefined,
			jwksUrl,
			jwtAudience: vars.STUB_JWT_AUDIENCE,
			jwtIssuer: vars.STUB_JWT_ISSUER,
			recordingSecret: vars.STUB_RECORDING_SECRET,
			callbackHosts: vars.CALLBACK_HOSTS,
			servedFrom: vars.SERVED_FROM,
			local: vars.SERVED_FROM === "local",
		},
	};
}

const NAMESPACE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BOT_APP_IDS = 50;

type ListedTokens = { tokens: ReadonlyMap<string, string>; signingGrants: ReadonlyMap<string, SigningGrant> };
const NO_TOKENS: ListedTokens = { tokens: new Map(), signingGrants: new Map() };

/**
 * STUB_TOKENS: a JSON object, token → namespace name, or token → `{"name", "botAppIds", "tenantId"}` (the
 * bots and tenant the stub may sign that namespace's notifications for; a plain name grants none). The
 * message never quotes a token.
 */
function parseTokens(json: string | undefined): ListedTokens | string {
	const needed =
		"STUB_TOKENS must be a JSON object mapping each token to a namespace name (or to {name, botAppIds, tenantId}) when AUTH_MODE is tokens";
	if (!json) return needed;
	let parsed: unknown;
	try {
		parsed = JSON.parse(json);
	} catch {
		return needed;
	}
	if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return needed;
	const entries = Object.entries(parsed);
	if (!entries.length) return "STUB_TOKENS must list at least one token";
	const tokens = new Map<string, string>();
	const signingGrants = new Map<string, SigningGrant>();
	for (const [token, value] of entries) {
		if (token.length < 16) return "STUB_TOKENS: every token must be at least 16 characters long";
		const entry = tokenEntry(value);
		if (typeof entry === "string") return `STUB_TOKENS: ${entry}`;
		const { name, grant } = entry;
		// Tokens of one name share one namespace, so one configuration: they must grant the same signing rights.
		const before = signingGrants.get(name);
		if (before && !sameGrant(before, grant))
			return `STUB_TOKENS: the tokens of namespace '${name}' must all grant the same botAppIds and tenantId`;
		tokens.set(token, name);
		signingGrants.set(name, grant);
	}
	return { tokens, signingGrants };
}

const NO_GRANT: SigningGrant = { botAppIds: [], tenantId: undefined };

/** One token's entry: a plain name (no signing rights) or `{name, botAppIds?, tenantId?}`; else why not. */
function tokenEntry(value: unknown): { name: string; grant: SigningGrant } | string {
	const badName = "every namespace name must be 1 to 64 letters, digits, '.', '_' or '-'";
	if (typeof value === "string") return NAMESPACE_NAME.test(value) ? { name: value, grant: NO_GRANT } : badName;
	if (value === null || typeof value !== "object" || Array.isArray(value))
		return "every token must map to a namespace name or to {name, botAppIds, tenantId}";
	const { name, botAppIds = [], tenantId, ...rest } = value as Record<string, unknown>;
	if (Object.keys(rest).length) return "an entry may only have name, botAppIds and tenantId";
	if (typeof name !== "string" || !NAMESPACE_NAME.test(name)) return badName;
	if (
		!Array.isArray(botAppIds) ||
		botAppIds.length > MAX_BOT_APP_IDS ||
		!botAppIds.every((id) => typeof id === "string" && GUID.test(id))
	)
		return `botAppIds must be an array of at most ${MAX_BOT_APP_IDS} application ids (GUIDs)`;
	if (tenantId !== undefined && (typeof tenantId !== "string" || !GUID.test(tenantId)))
		return "tenantId must be a tenant id (a GUID)";
	const ids = [...new Set(botAppIds.map((id: string) => id.toLowerCase()))].sort();
	return { name, grant: { botAppIds: ids, tenantId: tenantId?.toLowerCase() } };
}

const sameGrant = (a: SigningGrant, b: SigningGrant) =>
	a.tenantId === b.tenantId && a.botAppIds.join() === b.botAppIds.join();

/** STUB_JWKS_URL: https, or http to this machine (a test's own key server). */
function parseJwksUrl(text: string | undefined): URL | string {
	const message = "STUB_JWKS_URL must be an https URL (or http to a loopback address) when AUTH_MODE is jwks";
	if (!text) return message;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return message;
	}
	const loopbackHttp = url.protocol === "http:" && LOOPBACK.test(url.hostname);
	return url.protocol === "https:" || loopbackHttp ? url : message;
}

export const isLoopback = (hostname: string) => LOOPBACK.test(hostname);
