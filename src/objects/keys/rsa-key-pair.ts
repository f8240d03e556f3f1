import { calculateJwkThumbprint, type JWK } from "jose";

/** Graph signs its notification tokens RS256 (Bot Framework's validator accepts RS256/384/512 only). */
export const SIGNING_ALGORITHM = "RS256";

export type KeyPair = { kid: string; privateJwk: JWK; publicJwk: JWK };

/** A fresh 2048-bit RSASSA-PKCS1-v1_5 SHA-256 key pair; `kid` its RFC 7638 thumbprint. */
export async function makeRsaKeyPair(): Promise<KeyPair> {
	const pair = (await crypto.subtle.generateKey(
		{ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
		true,
		["sign", "verify"],
	)) as CryptoKeyPair;
	const privateJwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JWK;
	const { kty, n, e } = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JWK;
	const kid = await calculateJwkThumbprint({ kty, n, e });
	return {
		kid,
		privateJwk: { ...privateJwk, kid, alg: SIGNING_ALGORITHM },
		// Only the public members: what a bot's key set holds, as Bot Framework's keys document does.
		publicJwk: { kty, use: "sig", alg: SIGNING_ALGORITHM, kid, n, e },
	};
}
