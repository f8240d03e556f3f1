import { DurableObject } from "cloudflare:workers";
import { calculateJwkThumbprint, type JWK } from "jose";
import { applyMigrations, KEYS_MIGRATIONS } from "../migrations";

export const SIGNING_ALGORITHM = "ES256";

const RECORDING_SECRET = "recording_secret";

type KeyRow = { kid: string; private_jwk: string; public_jwk: string };

/**
 * The deployment's notification signing key (docs/contract.md, "Authenticated notifications"): one object, one
 * ES256 key pair made on first use and kept. Delivery caches the private key per isolate; the
 * metadata route publishes the public key.
 */
export class SigningKeys extends DurableObject<Env> {
	private key!: KeyRow;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		void ctx.blockConcurrencyWhile(async () => {
			applyMigrations(ctx.storage, KEYS_MIGRATIONS);
			this.key = this.stored() ?? (await this.make());
		});
	}

	async signingKey(): Promise<{ kid: string; privateJwk: JWK }> {
		return { kid: this.key.kid, privateJwk: JSON.parse(this.key.private_jwk) as JWK };
	}

	/** The public keys only, as a JWKS's `keys`. */
	async publicKeys(): Promise<JWK[]> {
		return [JSON.parse(this.key.public_jwk) as JWK];
	}

	/**
	 * The secret that seals recording URLs (src/routes/graph-calls/recording-urls.ts) when the deployment sets
	 * no STUB_RECORDING_SECRET: made on first use and kept, so every isolate seals and opens alike. One value,
	 * kept in the object's key-value storage (the same SQLite database): no table of its own.
	 */
	async recordingSecret(): Promise<string> {
		let secret = this.ctx.storage.kv.get<string>(RECORDING_SECRET);
		if (secret === undefined) {
			secret = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
			this.ctx.storage.kv.put(RECORDING_SECRET, secret);
		}
		return secret;
	}

	private stored(): KeyRow | undefined {
		return this.ctx.storage.sql
			.exec<KeyRow>("SELECT kid, private_jwk, public_jwk FROM signing_keys ORDER BY created_at DESC LIMIT 1")
			.toArray()[0];
	}

	private async make(): Promise<KeyRow> {
		const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
			"sign",
			"verify",
		])) as CryptoKeyPair;
		const privateJwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JWK;
		const { kty, crv, x, y } = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JWK;
		const kid = await calculateJwkThumbprint({ kty, crv, x, y });
		const row: KeyRow = {
			kid,
			private_jwk: JSON.stringify({ ...privateJwk, kid, alg: SIGNING_ALGORITHM }),
			public_jwk: JSON.stringify({ kty, crv, x, y, kid, alg: SIGNING_ALGORITHM, use: "sig" }),
		};
		this.ctx.storage.sql.exec(
			"INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?)",
			row.kid,
			row.private_jwk,
			row.public_jwk,
			new Date().toISOString(),
		);
		return row;
	}
}

/** The one SigningKeys object of the deployment. */
export const signingKeysObject = (env: Env) => env.SIGNING_KEYS.getByName("deployment");
