import type { AuthMode } from "../settings/parse-settings";

/** The bot and tenant a verified token proves (hs256/jwks namespaces are `mode:tid:…/app:…`), if any. */
function provenBot(namespace: string): { appId: string; tenantId: string } | undefined {
	const match = /^(?:hs256|jwks):tid:([^/]*)\/app:(.*)$/.exec(namespace);
	if (!match?.[1] || !match[2]) return undefined;
	return { tenantId: decodeURIComponent(match[1]), appId: decodeURIComponent(match[2]) };
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Who the stub may sign notifications for, on behalf of the caller: in the modes that verify a token
 * (hs256, jwks) only the bot and tenant that token proves, so no tester can have the stub mint a
 * bearer for another team's bot. Returns why a configured `botAppId`/`tenantId` is refused, per field;
 * and the proven values to fill in when none is configured. Other modes prove no identity (see README).
 */
export function notificationIdentity(mode: AuthMode, namespace: string, botAppId?: string, tenantId?: string) {
	if (mode !== "hs256" && mode !== "jwks") return { refusals: [], fill: {} };
	const proven = provenBot(namespace);
	const refusals: [field: "botAppId" | "tenantId", message: string][] = [];
	const why = `in AUTH_MODE ${mode} the stub signs notifications only for the bot and tenant your token proves`;
	if (botAppId !== undefined && !(proven && sameId(botAppId, proven.appId)))
		refusals.push([
			"botAppId",
			`must be your token's appid${proven ? ` (${proven.appId})` : " (your token has none)"}: ${why}`,
		]);
	if (tenantId !== undefined && !(proven && sameId(tenantId, proven.tenantId)))
		refusals.push([
			"tenantId",
			`must be your token's tid${proven ? ` (${proven.tenantId})` : " (your token has none)"}: ${why}`,
		]);
	const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
	const fill = {
		...(proven && botAppId === undefined && guid.test(proven.appId) ? { botAppId: proven.appId } : {}),
		...(proven && tenantId === undefined && guid.test(proven.tenantId) ? { tenantId: proven.tenantId } : {}),
	};
	return { refusals, fill };
}
