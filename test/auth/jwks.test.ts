import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import { describe, expect, inject, it } from "vitest";
import { verifiedJwtNamespace, verifierFor } from "../../src/auth/verified-jwt";
import { GraphError } from "../../src/http/graph-error";
import { operationsUrl, uniqueCallId } from "../helpers/graph";
import { b64url, nowSeconds, sendWith, settingsWith, unsecured } from "./helpers";

type Key = { kid: string; alg: string; privateKey: CryptoKey; jwk: JWK };

async function makeKey(kid: string, alg = "ES256"): Promise<Key> {
	const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
	return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

/** Publishes `keys` on the loopback key server under a set of its own; returns that set's JWKS URL. */
async function publish(set: string, keys: Key[]): Promise<string> {
	const url = `${inject("keyServerUrl")}/${set}/jwks`;
	await fetch(url, { method: "PUT", body: JSON.stringify({ keys: keys.map((key) => key.jwk) }) });
	return url;
}

const fetchesOf = async (set: string) => Number(await (await fetch(`${inject("keyServerUrl")}/${set}/count`)).text());

const sign = (key: Key, claims: JWTPayload, kid = key.kid) =>
	new SignJWT({ exp: nowSeconds() + 3600, ...claims }).setProtectedHeader({ alg: key.alg, kid }).sign(key.privateKey);

let sets = 0;
async function jwksMode(keys: Key[], extra: Record<string, string> = {}, cooldownMs?: number) {
	const set = `set-${++sets}-${crypto.randomUUID().slice(0, 6)}`;
	const vars = { AUTH_MODE: "jwks", STUB_JWKS_URL: await publish(set, keys), ...extra };
	const settings = settingsWith(vars);
	const verifier = verifierFor(settings, cooldownMs);
	const outcome = async (token: string) => {
		try {
			return await verifiedJwtNamespace(token, settings, verifier);
		} catch (error) {
			if (error instanceof GraphError) return `${error.status} ${error.message}`;
			throw error;
		}
	};
	return { set, vars, outcome };
}

describe("AUTH_MODE jwks", () => {
	it("accepts JWTs signed by a published key (ES256 or RS256): verified tid + appid, else sub", async () => {
		const es = await makeKey("es-1");
		const rs = await makeKey("rs-1", "RS256");
		const { outcome } = await jwksMode([es, rs]);
		expect(await outcome(await sign(es, { tid: "t", appid: "a" }))).toBe("jwks:tid:t/app:a");
		expect(await outcome(await sign(rs, { sub: "dave" }))).toBe("jwks:sub:dave");
	});

	it("fetches the key set again for a new kid (key rotation)", async () => {
		const first = await makeKey("first");
		const second = await makeKey("second");
		const { set, outcome } = await jwksMode([first], {}, 0);
		expect(await outcome(await sign(first, { sub: "s" }))).toBe("jwks:sub:s");
		await publish(set, [first, second]);
		expect(await outcome(await sign(second, { sub: "s" }))).toBe("jwks:sub:s");
		expect(await fetchesOf(set)).toBe(2);
	});

	it("within the cooldown, an unknown kid is refused without asking the key server again", async () => {
		const key = await makeKey("only");
		const { set, outcome } = await jwksMode([key]);
		expect(await outcome(await sign(key, { sub: "s" }))).toBe("jwks:sub:s");
		expect(await outcome(await sign(key, { sub: "s" }, "made-up"))).toMatch(/^401 .*no key at STUB_JWKS_URL/);
		expect(await fetchesOf(set)).toBe(1);
	});

	it("refuses a token signed by another key under a published kid (forged)", async () => {
		const real = await makeKey("k");
		const forger = await makeKey("k");
		const { outcome } = await jwksMode([real]);
		expect(await outcome(await sign(forger, { tid: "t", appid: "a" }))).toMatch(/^401 .*signature is invalid/);
	});

	it.each([
		["expired", { sub: "s", aud: "api://stub", iss: "https://idp", exp: nowSeconds() - 120 }, "has expired"],
		["for another audience", { sub: "s", aud: "api://other", iss: "https://idp" }, "audience"],
		["from another issuer", { sub: "s", aud: "api://stub", iss: "https://evil.example" }, "issuer"],
	])("refuses a token %s", async (_, claims, reason) => {
		const key = await makeKey("k");
		const { outcome } = await jwksMode([key], { STUB_JWT_AUDIENCE: "api://stub", STUB_JWT_ISSUER: "https://idp" });
		expect(await outcome(await sign(key, claims))).toMatch(new RegExp(`^401 .*${reason}`));
	});

	it("refuses alg none and algorithm confusion (HS256 keyed with the public key)", async () => {
		const key = await makeKey("k");
		const { outcome } = await jwksMode([key]);
		expect(await outcome(unsecured({ sub: "s" }))).toMatch(/^401 .*algorithm is not accepted/);
		const confused = await new SignJWT({ sub: "s", exp: nowSeconds() + 3600 })
			.setProtectedHeader({ alg: "HS256", kid: "k" })
			.sign(new TextEncoder().encode(JSON.stringify(key.jwk)));
		expect(await outcome(confused)).toMatch(/^401 .*algorithm is not accepted/);
		const header = b64url({ alg: "HS256", kid: "k" });
		expect(await outcome(`${header}.${b64url({ sub: "s" })}.x`)).toMatch(/^401 /);
	});

	it("answers 503 when the key set cannot be fetched", async () => {
		const key = await makeKey("k");
		const settings = settingsWith({
			AUTH_MODE: "jwks",
			STUB_JWKS_URL: `${inject("keyServerUrl")}/never-published/jwks`,
		});
		const error = await verifiedJwtNamespace(await sign(key, { sub: "s" }), settings).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(GraphError);
		expect((error as GraphError).status).toBe(503);
	});

	it("does not follow a redirect from STUB_JWKS_URL: 503, and the redirect's target is never asked", async () => {
		const key = await makeKey("k");
		const { set: target } = await jwksMode([key]);
		const hop = `hop-${crypto.randomUUID().slice(0, 6)}`;
		await fetch(`${inject("keyServerUrl")}/${hop}/redirect`, {
			method: "PUT",
			body: `${inject("keyServerUrl")}/${target}/jwks`,
		});
		const settings = settingsWith({ AUTH_MODE: "jwks", STUB_JWKS_URL: `${inject("keyServerUrl")}/${hop}/jwks` });
		const error = await verifiedJwtNamespace(await sign(key, { sub: "s" }), settings).catch((e: unknown) => e);
		expect((error as GraphError).status).toBe(503);
		expect(await fetchesOf(target)).toBe(0);
	});

	it("over HTTP: a signed token reaches its namespace, a forged one is 401", async () => {
		const key = await makeKey("http");
		const forger = await makeKey("http");
		const { vars } = await jwksMode([key]);
		const callId = uniqueCallId();
		const signed = await sign(key, { tid: "t", appid: "a" });
		expect((await sendWith(vars, "POST", operationsUrl(callId), { token: signed, body: {} })).status).toBe(201);
		const forged = await sign(forger, { tid: "t", appid: "a" });
		const refused = await sendWith(vars, "GET", operationsUrl(callId), { token: forged });
		expect(refused.status).toBe(401);
		expect(refused.headers.get("WWW-Authenticate")).toBe("Bearer");
	});
});
