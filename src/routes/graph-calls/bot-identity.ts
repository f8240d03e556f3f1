import { decodeJwt } from "jose";
import type { BotIdentity } from "../../objects/call/call-document";

const DISPLAY_NAME = "Calling Bot";
const NO_APP = "00000000-0000-0000-0000-000000000000";

const asGuid = (hex: string) =>
	`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

function appIdOf(request: Request): string | undefined {
	const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("Authorization")?.trim() ?? "")?.[1];
	if (!token) return undefined;
	try {
		const claims = decodeJwt(token);
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
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(namespace)));
	const hex = [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
	return { id: namespace ? asGuid(hex) : NO_APP, displayName: DISPLAY_NAME };
}
