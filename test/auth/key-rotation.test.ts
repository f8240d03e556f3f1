import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { PREVIOUS_KEY_OVERLAP_MS } from "../../src/objects/keys/signing-keys";
import { ORIGIN, send } from "../helpers/graph";
import { sendWith } from "./helpers";
import { bearerOfFirstNotification, stubKeys, TOKEN } from "./notification-tokens";

const ROTATE = `${ORIGIN}/_stub/keys/rotate`;
type Roles = { signing: string; next: string | null; previous: string | null };

const rotate = async () => {
	const response = await send("POST", ROTATE, undefined, { token: TOKEN });
	expect(response.status).toBe(200);
	return (await response.json()) as Roles;
};
const publishedKids = async () => (await stubKeys()).keys.keys.map((key) => key.kid);
const signingKid = async () => decodeProtectedHeader(await bearerOfFirstNotification({})).kid;

// One file, one deployment's keys (storage is per file): the steps run in order.
describe("rotating the notification signing key", () => {
	it("publishes the next key first, signs with it only after the second step, and keeps the old one published", async () => {
		const [first] = await publishedKids();
		expect(await signingKid()).toBe(first);

		const step1 = await rotate();
		expect(step1).toMatchObject({ signing: first, previous: null });
		expect(step1.next).not.toBe(first);
		expect(await publishedKids()).toEqual([first, step1.next]);
		expect(await signingKid()).toBe(first); // the next key is published, not yet signing

		const step2 = await rotate();
		expect(step2).toEqual({ signing: step1.next, next: null, previous: first });
		expect(await publishedKids()).toEqual([step1.next, first]);
		const token = await bearerOfFirstNotification({});
		expect(decodeProtectedHeader(token).kid).toBe(step1.next);
		await expect(jwtVerify(token, createLocalJWKSet((await stubKeys()).keys))).resolves.toBeDefined();

		// The step after publishes a new next key; the previous one, retired a moment ago, stays published.
		const step3 = await rotate();
		expect(step3).toEqual({ signing: step1.next, next: step3.next, previous: first });
		expect(await publishedKids()).toEqual([step1.next, step3.next, first]);
		expect(await signingKid()).toBe(step1.next);
	});

	it("keeps a retired key published while isolates may still sign with it, and withdraws it after", async () => {
		const keys = env.SIGNING_KEYS.getByName("deployment");
		// Another isolate loaded the signing key just before the promotion: it signs with it for up to 30 s.
		const before = await rotate(); // the next key of the test above signs now
		const stale = before.previous;
		expect(stale).not.toBeNull();
		const early = await rotate(); // publishes a next key at once: the retired key must stay
		expect(early.previous).toBe(stale);
		expect(await publishedKids()).toContain(stale);

		// Once the retired key has been previous for the overlap, the step that publishes a next key withdraws it.
		const promoted = await rotate();
		await runInDurableObject(keys, (_, state) => {
			state.storage.kv.put("previous_since", Date.now() - PREVIOUS_KEY_OVERLAP_MS - 1);
		});
		const late = await rotate();
		expect(late).toEqual({ signing: promoted.signing, next: late.next, previous: null });
		expect(await publishedKids()).toEqual([promoted.signing, late.next]);
		expect(PREVIOUS_KEY_OVERLAP_MS).toBeGreaterThanOrEqual(30_000);
	});

	it("is refused on a deployment (not served locally), changing nothing; without a token it is 401", async () => {
		const before = await publishedKids();
		const deployed = await sendWith({ SERVED_FROM: "" }, "POST", ROTATE, { token: TOKEN });
		expect(deployed.status).toBe(403);
		expect(((await deployed.json()) as { error: { code: string } }).error.code).toBe("Forbidden");
		expect((await send("POST", ROTATE, undefined, { token: null })).status).toBe(401);
		expect(await publishedKids()).toEqual(before);
	});

	it("keeps serving a deployment whose key object holds the ES256 key of before: it is left unread", async () => {
		const keys = env.SIGNING_KEYS.getByName("upgraded-from-es256");
		await runInDurableObject(keys, (_, state) => {
			// The object as the ES256 version left it: 0001 applied, one EC key, no RSA table.
			state.storage.sql.exec("DROP TABLE rsa_signing_keys");
			state.storage.sql.exec("DELETE FROM _migrations WHERE name != '0001_create_signing_keys'");
			state.storage.sql.exec(
				"INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES ('ec-kid', '{\"kty\":\"EC\"}', '{\"kty\":\"EC\"}', '2026-01-01T00:00:00Z')",
			);
		});
		await evictDurableObject(keys);
		const published = await keys.publicKeys();
		expect(published.map((key) => key.kty)).toEqual(["RSA"]);
		expect((await keys.signingKey()).privateJwk).toMatchObject({ kty: "RSA", alg: "RS256" });
		const kept = await runInDurableObject(keys, (_, state) =>
			state.storage.sql.exec<{ kid: string }>("SELECT kid FROM signing_keys").toArray(),
		);
		expect(kept).toEqual([{ kid: "ec-kid" }]);
	});
});
