import { DurableObject } from "cloudflare:workers";
import type { JWK } from "jose";
import { applyMigrations, KEYS_MIGRATIONS } from "../migrations";
import { type KeyPair, makeRsaKeyPair } from "./rsa-key-pair";

type Role = "signing" | "next" | "previous";
type KeyRow = { kid: string; role: Role; private_jwk: string; public_jwk: string };

const RECORDING_SECRET = "recording_secret";
/** When the previous key stopped signing (ms), in the key-value storage beside the keys. */
const PREVIOUS_SINCE = "previous_since";

/** How long an isolate signs with the key it loaded before asking again (src/objects/keys/notification-bearer.ts). */
export const SIGNING_KEY_CACHE_MS = 30_000;
/**
 * How long a key that stopped signing stays published at least: an isolate that loaded it just before the
 * rotation may sign with it for SIGNING_KEY_CACHE_MS more, and its notifications must still verify.
 */
export const PREVIOUS_KEY_OVERLAP_MS = 2 * SIGNING_KEY_CACHE_MS;

/** Which key signs, which is published to sign next, which still is published after signing. */
export type KeyRoles = { signing: string; next: string | null; previous: string | null };

/**
 * The deployment's notification signing keys (docs/contract.md, "Signed notifications"): one object, an
 * RS256 key made on first use and kept, and the next and previous keys of a rotation (and the secret that
 * seals recording URLs). Delivery caches the signing key per isolate; the keys route publishes the public keys.
 */
export class SigningKeys extends DurableObject<Env> {
	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		void ctx.blockConcurrencyWhile(async () => {
			applyMigrations(ctx.storage, KEYS_MIGRATIONS);
			if (!this.row("signing")) this.insert("signing", await makeRsaKeyPair());
		});
	}

	async signingKey(): Promise<{ kid: string; privateJwk: JWK }> {
		const { kid, private_jwk } = this.signingRow();
		return { kid, privateJwk: JSON.parse(private_jwk) as JWK };
	}

	/** The public keys only, as a JWKS's `keys`: the signing key first. */
	async publicKeys(): Promise<JWK[]> {
		return (["signing", "next", "previous"] as const).flatMap((role) => {
			const row = this.row(role);
			return row ? [JSON.parse(row.public_jwk) as JWK] : [];
		});
	}

	/**
	 * One step of a rotation. Without a next key: make one and publish it beside the signing key (which
	 * keeps signing); the previous key is withdrawn once it has been previous for PREVIOUS_KEY_OVERLAP_MS,
	 * else it stays published until the step after. With one: it signs from now on, and the key it
	 * replaces stays published as the previous key (at most one: an older previous key is withdrawn).
	 */
	async rotate(): Promise<KeyRoles> {
		const sql = this.ctx.storage.sql;
		if (this.row("next")) {
			this.ctx.storage.transactionSync(() => {
				sql.exec("DELETE FROM rsa_signing_keys WHERE role = 'previous'");
				sql.exec("UPDATE rsa_signing_keys SET role = 'previous' WHERE role = 'signing'");
				sql.exec("UPDATE rsa_signing_keys SET role = 'signing' WHERE role = 'next'");
				this.ctx.storage.kv.put(PREVIOUS_SINCE, Date.now());
			});
			return this.roles();
		}
		const fresh = await makeRsaKeyPair();
		// A rotation that ran during the await already published a next key: that is this step's outcome too.
		if (!this.row("next")) {
			this.ctx.storage.transactionSync(() => {
				if (this.previousOverlapOver()) sql.exec("DELETE FROM rsa_signing_keys WHERE role = 'previous'");
				this.insert("next", fresh);
			});
		}
		return this.roles();
	}

	/** Whether the previous key has been published long enough for every isolate to have stopped signing with it. */
	private previousOverlapOver(): boolean {
		const since = this.ctx.storage.kv.get<number>(PREVIOUS_SINCE) ?? 0;
		return Date.now() - since >= PREVIOUS_KEY_OVERLAP_MS;
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

	private roles(): KeyRoles {
		return {
			signing: this.signingRow().kid,
			next: this.row("next")?.kid ?? null,
			previous: this.row("previous")?.kid ?? null,
		};
	}

	private signingRow(): KeyRow {
		const row = this.row("signing");
		if (!row) throw new Error("the signing key is missing"); // made in the constructor, never deleted
		return row;
	}

	private row(role: Role): KeyRow | undefined {
		return this.ctx.storage.sql
			.exec<KeyRow>("SELECT kid, role, private_jwk, public_jwk FROM rsa_signing_keys WHERE role = ?", role)
			.toArray()[0];
	}

	private insert(role: Role, key: KeyPair) {
		this.ctx.storage.sql.exec(
			"INSERT INTO rsa_signing_keys (kid, role, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?, ?)",
			key.kid,
			role,
			JSON.stringify(key.privateJwk),
			JSON.stringify(key.publicJwk),
			new Date().toISOString(),
		);
	}
}

/** The one SigningKeys object of the deployment. */
export const signingKeysObject = (env: Env) => env.SIGNING_KEYS.getByName("deployment");
