import type { BotIdentity } from "../../objects/call/call-document";

const DISPLAY_NAME = "Calling Bot";
const NO_APP = "00000000-0000-0000-0000-000000000000";

const asGuid = (hex: string) =>
	`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

/**
 * The bot's application identity, as Graph fills a call's `source` with it: the token's app id
 * (`appid`/`azp`); for a token that is not a JWT, a stable GUID derived from it (*inferred*).
 */
export function botIdentity(namespace: string): BotIdentity {
	const app = /^tid:.*\/app:(.+)$/.exec(namespace)?.[1];
	if (app) return { id: app, displayName: DISPLAY_NAME };
	const hex = /^token:([0-9a-f]{64})$/.exec(namespace)?.[1];
	return { id: hex ? asGuid(hex) : NO_APP, displayName: DISPLAY_NAME };
}
