import { importJWK, SignJWT } from "jose";
import { SIGNING_ALGORITHM, signingKeysObject } from "./signing-keys";

/** Graph's notifications carry a Bot Framework token (see the Graph comms samples' calling-notifications article). */
export const NOTIFICATION_ISSUER = "https://api.botframework.com";
const LIFETIME = "1h";

type SigningKey = { kid: string; key: CryptoKey | Uint8Array };

// The private key, cached per isolate: delivery does not ask the Durable Object per notification.
let cached: Promise<SigningKey> | undefined;

function signingKey(env: Env): Promise<SigningKey> {
	if (!cached) {
		const loading = (async () => {
			const { kid, privateJwk } = await signingKeysObject(env).signingKey();
			return { kid, key: await importJWK(privateJwk, SIGNING_ALGORITHM) };
		})();
		// A failed fetch is not kept: the next notification asks again.
		loading.catch(() => {
			if (cached === loading) cached = undefined;
		});
		cached = loading;
	}
	return cached;
}

/** The bearer of a notification to a bot: `aud` its app id, `tid` its tenant, signed by the stub. */
export async function notificationBearer(env: Env, botAppId: string, tenantId: string): Promise<string> {
	const { kid, key } = await signingKey(env);
	return new SignJWT({ tid: tenantId })
		.setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: "JWT" })
		.setIssuer(NOTIFICATION_ISSUER)
		.setAudience(botAppId)
		.setIssuedAt()
		.setNotBefore("0s")
		.setExpirationTime(LIFETIME)
		.sign(key);
}
