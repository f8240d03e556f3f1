/**
 * The checks a Bot Framework bot applies to the bearer of an incoming request, written out from
 * Microsoft's documentation ("Authenticate requests from the Bot Connector service to your bot": the
 * token is a JWT in `Authorization: Bearer`, its issuer is https://api.botframework.com, its audience the
 * bot's app id, it is within its validity period with 5 minutes of clock skew, and it is signed by a key
 * of the OpenID keys document with an algorithm the metadata names) and from the SDK's
 * JwtTokenExtractor (only RS256/RS384/RS512; an unknown `kid` refreshes the cached keys once). The
 * calling samples' AuthenticationProvider also rejects a token without a tenant. No jose here: the
 * signature is checked with WebCrypto, so the check does not share code with the stub's signer.
 */

const ALLOWED_ALGORITHMS: Record<string, string> = { RS256: "SHA-256", RS384: "SHA-384", RS512: "SHA-512" };
const ALLOWED_ISSUERS = ["https://api.botframework.com"];
const CLOCK_SKEW_SECONDS = 5 * 60;

type Jwk = JsonWebKey & { kid?: string };
type Metadata = { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
export type Verdict = { valid: true; tenantId: string } | { valid: false; reason: string };

const decoder = new TextDecoder();
const base64url = (part: string) => Uint8Array.from(Buffer.from(part, "base64url"));
const jsonPart = (part: string) => JSON.parse(decoder.decode(base64url(part))) as Record<string, unknown>;

/** A bot's validator for one app id, with the key cache a bot keeps; `refreshes` counts key downloads. */
export class BotFrameworkValidator {
	private metadata: Metadata | undefined;
	private keys: Jwk[] = [];
	refreshes = 0;

	constructor(
		private readonly metadataUrl: string,
		private readonly appId: string,
	) {}

	async validate(authorization: string | undefined, nowSeconds = Date.now() / 1000): Promise<Verdict> {
		const match = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? "");
		if (!match) return { valid: false, reason: "no Bearer JWT" };
		const [, headerPart = "", payloadPart = "", signaturePart = ""] = match;
		let header: Record<string, unknown>;
		let payload: Record<string, unknown>;
		try {
			header = jsonPart(headerPart);
			payload = jsonPart(payloadPart);
		} catch {
			return { valid: false, reason: "not a JWT" };
		}
		const hash = typeof header.alg === "string" ? ALLOWED_ALGORITHMS[header.alg] : undefined;
		if (!hash) return { valid: false, reason: `algorithm ${String(header.alg)} is not allowed` };
		if (!ALLOWED_ISSUERS.includes(String(payload.iss))) return { valid: false, reason: "issuer" };
		if (payload.aud !== this.appId) return { valid: false, reason: "audience" };
		if (typeof payload.exp !== "number" || nowSeconds > payload.exp + CLOCK_SKEW_SECONDS)
			return { valid: false, reason: "expired" };
		if (typeof payload.nbf === "number" && nowSeconds < payload.nbf - CLOCK_SKEW_SECONDS)
			return { valid: false, reason: "not yet valid" };

		const key = await this.key(String(header.kid));
		if (!key) return { valid: false, reason: "unknown kid" };
		if (!this.metadata?.id_token_signing_alg_values_supported.includes(String(header.alg)))
			return { valid: false, reason: "algorithm not in the metadata" };
		let publicKey: CryptoKey;
		try {
			publicKey = await crypto.subtle.importKey("jwk", key, { name: "RSASSA-PKCS1-v1_5", hash }, false, ["verify"]);
		} catch {
			return { valid: false, reason: "the key is not an RSA key" };
		}
		const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
		const good = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", publicKey, base64url(signaturePart), signed);
		if (!good) return { valid: false, reason: "signature" };
		if (typeof payload.tid !== "string" || !payload.tid) return { valid: false, reason: "no tenant" };
		return { valid: true, tenantId: payload.tid };
	}

	/** The cached key with this kid; an unknown kid downloads the metadata and keys again, once. */
	private async key(kid: string): Promise<Jwk | undefined> {
		const cached = this.keys.find((key) => key.kid === kid);
		if (cached) return cached;
		await this.refresh();
		return this.keys.find((key) => key.kid === kid);
	}

	async refresh() {
		this.refreshes++;
		this.metadata = (await (await fetch(this.metadataUrl)).json()) as Metadata;
		this.keys = ((await (await fetch(this.metadata.jwks_uri)).json()) as { keys: Jwk[] }).keys;
	}
}
