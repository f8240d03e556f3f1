import { type ErrorDetail, GraphError } from "../http/graph-error";
import { DEFAULT_BOT_APP_ID, DEFAULT_TENANT_ID } from "../schema/stub-config";
import type { Settings } from "../settings/parse-settings";

// Whom the stub signs a namespace's notifications for (docs/guides/deploy.md, who can have a bearer signed): a
// bearer with `aud` = another team's bot would be replayable to that bot. Asked when a configuration is
// written (403) and again before each signature (settings can change in between: fail closed).

type Field = "botAppId" | "tenantId";

/** Per field: "any" id, or only these (the all-zeros default ids, nobody's bot, always); why, when refused. */
type SigningRights = Record<Field, { allowed: "any" | readonly string[]; refusal: string }>;

const ANYONE: SigningRights = {
	botAppId: { allowed: "any", refusal: "" },
	tenantId: { allowed: "any", refusal: "" },
};

/** `any`/`optional` beyond this machine: nobody is proven, so nobody's bot (only the all-zeros ids). */
function openRights(mode: string): SigningRights {
	const why = `in AUTH_MODE ${mode} a stub served beyond this machine signs notifications only for the all-zeros ids: anyone who reaches it could otherwise have a bearer signed for another team's bot (use AUTH_MODE tokens with botAppIds, hs256 or jwks)`;
	return {
		botAppId: { allowed: [], refusal: `must be the all-zeros id: ${why}` },
		tenantId: { allowed: [], refusal: `must be the all-zeros id: ${why}` },
	};
}

/** The bot and tenant a verified token proves (hs256/jwks namespaces are `mode:tid:…/app:…`), if any. */
function provenBot(namespace: string): { appId: string; tenantId: string } | undefined {
	const match = /^(?:hs256|jwks):tid:([^/]*)\/app:(.*)$/.exec(namespace);
	if (!match?.[1] || !match[2]) return undefined;
	return { tenantId: decodeURIComponent(match[1]).toLowerCase(), appId: decodeURIComponent(match[2]).toLowerCase() };
}

function provenRights(mode: string, namespace: string): SigningRights {
	const proven = provenBot(namespace);
	const why = `in AUTH_MODE ${mode} the stub signs notifications only for the bot and tenant your token proves`;
	return {
		botAppId: {
			allowed: proven ? [proven.appId] : [],
			refusal: `must be your token's appid${proven ? ` (${proven.appId})` : " (your token has none)"}: ${why}`,
		},
		tenantId: {
			allowed: proven ? [proven.tenantId] : [],
			refusal: `must be your token's tid${proven ? ` (${proven.tenantId})` : " (your token has none)"}: ${why}`,
		},
	};
}

function grantedRights(settings: Settings, namespace: string): SigningRights {
	const name = namespace.startsWith("tokens:") ? namespace.slice("tokens:".length) : "";
	const grant = settings.signingGrants.get(name);
	const botAppIds = grant?.botAppIds ?? [];
	const tenantIds = grant?.tenantId ? [grant.tenantId] : [];
	const plain = !botAppIds.length && !tenantIds.length;
	const how = `; the operator grants rights in STUB_TOKENS as {"<token>": {"name": "${name}", "botAppIds": ["<app id>", …], "tenantId": "<tenant id>"}}`;
	return {
		botAppId: {
			allowed: botAppIds,
			refusal: plain
				? `this token may not have notifications signed for any bot: its STUB_TOKENS entry is a plain name, which grants no signing rights (notifications carry the all-zeros botAppId)${how}`
				: botAppIds.length
					? `this token may have notifications signed only for botAppId ${botAppIds.join(", ")} (its STUB_TOKENS entry)`
					: `this token may have notifications signed for no botAppId: its STUB_TOKENS entry lists none${how}`,
		},
		tenantId: {
			allowed: tenantIds,
			refusal: tenantIds.length
				? `this token may have notifications signed only for tenantId ${tenantIds.join(", ")} (its STUB_TOKENS entry)`
				: `this token may have notifications signed for no tenantId but the all-zeros one: its STUB_TOKENS entry names none${how}`,
		},
	};
}

/** Whom the caller's namespace may have notifications signed for, under `settings`. */
export function signingRights(settings: Settings, namespace: string): SigningRights {
	switch (settings.authMode) {
		case "any":
		case "optional":
			// These prove no identity: any bot only for a stub of one's own, served on this machine (docs/guides/namespaces.md).
			return settings.local ? ANYONE : openRights(settings.authMode);
		case "claims":
			return ANYONE; // refused beyond this machine (parse-settings): only ever served locally
		case "tokens":
			return grantedRights(settings, namespace);
		case "hs256":
		case "jwks":
			return provenRights(settings.authMode, namespace);
	}
}

const DEFAULTS: Record<Field, string> = { botAppId: DEFAULT_BOT_APP_ID, tenantId: DEFAULT_TENANT_ID };

const allows = (rights: SigningRights, field: Field, id: string) => {
	const { allowed } = rights[field];
	return allowed === "any" || id === DEFAULTS[field] || allowed.some((each) => each === id.toLowerCase());
};

/** Why each given id may not be signed for, as Graph's error details; empty when all may. */
export function signingRefusals(rights: SigningRights, ids: Partial<Record<Field, string>>): ErrorDetail[] {
	return (Object.keys(DEFAULTS) as Field[])
		.filter((field) => ids[field] !== undefined && !allows(rights, field, ids[field] ?? ""))
		.map((field) => ({ code: "Forbidden", message: `${field}: ${rights[field].refusal}`, target: field }));
}

/** 403 naming every id the caller may not have signed for, and which it may. */
export function signingForbidden(details: ErrorDetail[]): GraphError {
	return new GraphError(
		403,
		"Forbidden",
		`Forbidden configuration: ${details.map((detail) => detail.message).join("; ")}.`,
		details,
	);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The ids to sign for when a configuration names none: the only one the caller may have, if exactly one. */
export function signingFill(
	rights: SigningRights,
	ids: Partial<Record<Field, string>>,
): Partial<Record<Field, string>> {
	const only = (field: Field) => {
		const { allowed } = rights[field];
		return ids[field] === undefined && allowed !== "any" && allowed.length === 1 && GUID.test(allowed[0] ?? "")
			? { [field]: allowed[0] }
			: {};
	};
	return { ...only("botAppId"), ...only("tenantId") };
}
