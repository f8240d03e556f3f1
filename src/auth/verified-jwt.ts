import {
	createRemoteJWKSet,
	errors,
	type JWTPayload,
	type JWTVerifyGetKey,
	type JWTVerifyOptions,
	jwtVerify,
} from "jose";
import { GraphError } from "../http/graph-error";
import type { Settings } from "../settings/settings";
import { appIdClaim } from "./app-id-claim";
import { unauthenticated } from "./unauthenticated";

// `hs256` and `jwks` modes: the token must be a JWT whose signature, exp/nbf (60 s leeway) and, when
// configured, aud/iss verify. The accepted algorithms are pinned per mode, so `none` and algorithm
// confusion (an HS256 token "signed" with a public key) are refused.
const HMAC = ["HS256"] as const;
const ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;
const LEEWAY_SECONDS = 60;

type Verifier = { key: Uint8Array | JWTVerifyGetKey; algorithms: readonly string[] };

/** A JWKS client keeps its keys across requests; one per settings object (so, per isolate). */
const verifiers = new WeakMap<Settings, Verifier>();

/** How long after a fetch an unknown `kid` may fetch the key set again (a forged kid must not flood the IdP). */
export const JWKS_COOLDOWN_MS = 30_000;

export function verifierFor(settings: Settings, cooldownMs = JWKS_COOLDOWN_MS): Verifier {
	let verifier = verifiers.get(settings);
	if (!verifier) {
		if (settings.authMode === "jwks" && settings.jwksUrl)
			verifier = {
				key: createRemoteJWKSet(settings.jwksUrl, { cooldownDuration: cooldownMs, timeoutDuration: 5000 }),
				algorithms: ASYMMETRIC,
			};
		else if (settings.authMode === "hs256" && settings.jwtSecret)
			verifier = { key: new TextEncoder().encode(settings.jwtSecret), algorithms: HMAC };
		else throw new Error(`no JWT verifier for AUTH_MODE ${settings.authMode}`);
		verifiers.set(settings, verifier);
	}
	return verifier;
}

/** The namespace of a verified JWT: `<mode>:tid:<tid>/app:<appid|azp>`, else `<mode>:sub:<sub>`. */
export async function verifiedJwtNamespace(token: string, settings: Settings, verifier = verifierFor(settings)) {
	const claims = await verifiedClaims(token, settings, verifier);
	const prefix = settings.authMode;
	if (typeof claims.tid === "string" && claims.tid) {
		const app = appIdClaim(claims);
		return `${prefix}:tid:${encodeURIComponent(claims.tid)}/app:${encodeURIComponent(app)}`;
	}
	if (typeof claims.sub === "string" && claims.sub) return `${prefix}:sub:${encodeURIComponent(claims.sub)}`;
	throw unauthenticated("the token names neither a tenant (tid) nor a subject (sub)");
}

async function verifiedClaims(token: string, settings: Settings, verifier: Verifier): Promise<JWTPayload> {
	const options: JWTVerifyOptions = {
		algorithms: [...verifier.algorithms],
		clockTolerance: LEEWAY_SECONDS,
		requiredClaims: ["exp"],
		...(settings.jwtAudience ? { audience: settings.jwtAudience } : {}),
		...(settings.jwtIssuer ? { issuer: settings.jwtIssuer } : {}),
	};
	try {
		const { payload } =
			verifier.key instanceof Uint8Array
				? await jwtVerify(token, verifier.key, options)
				: await jwtVerify(token, verifier.key, options);
		return payload;
	} catch (error) {
		throw rejection(error, verifier);
	}
}

/** A reason that helps the tester fix their token, without echoing it. */
function rejection(error: unknown, verifier: Verifier): GraphError {
	if (error instanceof errors.JWTExpired) return unauthenticated("the token has expired");
	if (error instanceof errors.JWTClaimValidationFailed) {
		if (error.claim === "aud") return unauthenticated("the token's audience (aud) is not the one this stub expects");
		if (error.claim === "iss") return unauthenticated("the token's issuer (iss) is not the one this stub expects");
		if (error.claim === "nbf") return unauthenticated("the token is not valid yet (nbf)");
		if (error.claim === "exp") return unauthenticated("the token has no expiry (exp)");
		return unauthenticated(`the token's ${error.claim} claim is invalid`);
	}
	if (error instanceof errors.JWSSignatureVerificationFailed)
		return unauthenticated("the token's signature is invalid");
	if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
		return unauthenticated(`the token's algorithm is not accepted (expected ${verifier.algorithms.join(", ")})`);
	if (error instanceof errors.JWKSNoMatchingKey)
		return unauthenticated("no key at STUB_JWKS_URL matches the token's key id (kid)");
	// The key set's fetch failed: a timeout, a non-200 answer (a plain JOSEError), a bad document, no network.
	const keySetUnavailable =
		error instanceof errors.JWKSTimeout ||
		error instanceof errors.JWKSInvalid ||
		!(error instanceof errors.JOSEError) ||
		error.code === errors.JOSEError.code;
	if (keySetUnavailable) {
		console.error(`fetching STUB_JWKS_URL failed: ${String(error)}`);
		return new GraphError(
			503,
			"ServiceUnavailable",
			"The signing keys at STUB_JWKS_URL could not be fetched; retry later.",
		);
	}
	return unauthenticated("the token is not a well-formed signed JWT");
}
