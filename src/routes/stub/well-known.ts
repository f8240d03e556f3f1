import type { StubRequest } from "../../http/stub-request";
import { NOTIFICATION_ISSUER } from "../../objects/keys/notification-bearer";
import { SIGNING_ALGORITHM } from "../../objects/keys/rsa-key-pair";
import { signingKeysObject } from "../../objects/keys/signing-keys";

// What a bot's token validation reads (docs/contract.md, "Signed notifications"): the metadata document,
// then its jwks_uri. No auth: both are public, as Bot Framework's are.

export const KEYS_PATH = "/_stub/.well-known/keys";

/** GET /_stub/.well-known/openid-configuration */
export const openIdConfiguration = (request: StubRequest) =>
	Response.json({
		issuer: NOTIFICATION_ISSUER,
		jwks_uri: `${request.meta.origin}${KEYS_PATH}`,
		id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
		token_endpoint_auth_signing_alg_values_supported: [SIGNING_ALGORITHM],
	});

/** GET /_stub/.well-known/keys: the public signing keys only (the signing key, and a rotation's next or previous). */
export const signingKeySet = async (_request: StubRequest, env: Env) =>
	Response.json({ keys: await signingKeysObject(env).publicKeys() }, { headers: { "Cache-Control": "max-age=3600" } });
