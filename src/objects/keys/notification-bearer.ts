import { importJWK, SignJWT } from "jose";
import { SIGNING_ALGORITHM } from "./rsa-key-pair";
import { SIGNING_KEY_CACHE_MS, signingKeysObject } from "./signing-keys";

/** Graph's notifications carry a Bot Framework token (see the Graph comms samples' calling-notifications article). */
export const NOTIFICATION_ISSUER = "https://api.botframework.com";
/** The `appid` of Graph's notification tokens: Microsoft's "Skype Teams Calling API Service" application. */
const CALLING_SERVICE_APP_ID = "26a18ebc-cdf7-4a6a-91cb-beb352805e81";
/** Graph's tokens live five minutes (`nbf` to `exp`). */
const LIFETIME_SECONDS = 300;

type SigningKey = { kid: string; key: CryptoKey | Uint8Array };

// The private key, cached per isolate: delivery does not ask the Durable Object per notification.
let cached: { loading: Promise<SigningKey>; at: number } | undefined;

function signingKey(env: Env): Promise<SigningKey> {
	if (!cached || Date.now() - cached.at > SIGNING_KEY_CACHE_MS) {
		const loading = (async () => {
			const { kid, privateJwk } = await signingKeysObject(env).signingKey();
			return { kid, key: await importJWK(privateJwk, SIGNING_ALGORITHM) };
		})();
		const entry = { loading, at: Date.now() };
		// A failed fetch is not kept: the next notification asks again.
		loading.catch(() => {
			if (cached === entry) cached = undefined;
		});
		cached = entry;
	}
	return cached.loading;
}

/** After a rotation in this isolate: the next notification loads the signing key again. */
export function forgetSigningKey() {
	cached = undefined;
}

/**
 * The bearer of a notification to a bot, claims as Graph's: `aud` its app id, `tid` its tenant, `appid`
 * the calling service, `nbf`/`exp` five minutes apart (no `iat`); RS256 with the stub's key.
 */
export async function notificationBearer(env: Env, botAppId: string, tenantId: string): Promise<string> {
	const { kid, key } = await signingKey(env);
	const now = Math.floor(Date.now() / 1000);
	return new SignJWT({ tid: tenantId, appid: CALLING_SERVICE_APP_ID })
		.setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: "JWT" })
		.setIssuer(NOTIFICATION_ISSUER)
		.setAudience(botAppId)
		.setNotBefore(now)
		.setExpirationTime(now + LIFETIME_SECONDS)
		.sign(key);
}
