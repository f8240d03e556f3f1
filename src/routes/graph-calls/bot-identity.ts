import { decodeJwt } from "jose";
import { bearerToken } from "../../auth/bearer-token";
import { tokenHashNamespace } from "../../auth/token-hash";
import type { BotIdentity } from "../../objects/call/call-document";
import { DEFAULT_BOT_APP_ID } from "../../schema/stub-config";

const DISPLAY_NAME = "Calling Bot";

const asGuid = (hex: string) =>
	`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

function appIdOf(request: Request): string | undefined {
	try {
		const claims = decodeJwt(bearerToken(request)); // no token, or not a JWT: undefined
		const app = claims.appid ?? claims.azp;
		return typeof app === "string" && app ? app : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The bot's application identity, as Graph fills a call's `source` with it: the token's app id
 * (`appid`/`azp`, read for display only: it never chooses a namespace); for a token that is not a JWT, a
 * stable GUID derived from the caller's namespace (*inferred*).
 */
export async function botIdentity(request: Request, namespace: string): Promise<BotIdentity> {
	const app = appIdOf(request);
	if (app) return { id: app, displayName: DISPLAY_NAME };
	if (!namespace) return { id: DEFAULT_BOT_APP_ID, displayName: DISPLAY_NAME };
	const hex = (await tokenHashNamespace(namespace)).slice("token:".length); // the namespace's SHA-256
	return { id: asGuid(hex), displayName: DISPLAY_NAME };
}
