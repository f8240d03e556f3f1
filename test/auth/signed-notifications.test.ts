import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { bearerOfFirstNotification, stubKeys, TOKEN } from "./notification-tokens";

const BOT = "11111111-2222-3333-4444-555555555555";
const TENANT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

describe("notifications authenticated as Graph's are", () => {
	it("publishes metadata and public keys only, without auth", async () => {
		const { metadata, keys } = await stubKeys();
		expect(metadata).toMatchObject({
			issuer: "https://api.botframework.com",
			jwks_uri: `${ORIGIN}/_stub/.well-known/keys`,
			id_token_signing_alg_values_supported: ["RS256"],
		});
		expect(keys.keys).toHaveLength(1);
		expect(Object.keys(keys.keys[0] ?? {}).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
		expect(keys.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
		// A 2048-bit modulus: 256 bytes, 342 base64url characters.
		expect(keys.keys[0]?.n).toHaveLength(342);
	});

	it("signs each notification's bearer as Graph does: RS256, iss Bot Framework, aud the botAppId, tid, appid, five minutes", async () => {
		const token = await bearerOfFirstNotification({ botAppId: BOT, tenantId: TENANT });
		const { metadata, keys } = await stubKeys();
		const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(keys), {
			issuer: metadata.issuer,
			audience: BOT,
			algorithms: metadata.id_token_signing_alg_values_supported,
		});
		expect(protectedHeader).toEqual({ alg: "RS256", kid: keys.keys[0]?.kid, typ: "JWT" });
		expect(Object.keys(payload).sort()).toEqual(["appid", "aud", "exp", "iss", "nbf", "tid"]);
		expect(payload.tid).toBe(TENANT);
		expect(payload.appid).toBe("26a18ebc-cdf7-4a6a-91cb-beb352805e81");
		expect((payload.exp ?? 0) - (payload.nbf ?? 0)).toBe(300);
	});

	it("uses all-zero ids when the configuration names none, so a real bot's audience check fails loudly", async () => {
		const token = await bearerOfFirstNotification({});
		const { keys } = await stubKeys();
		const { payload } = await jwtVerify(token, createLocalJWKSet(keys));
		expect(payload).toMatchObject({
			aud: "00000000-0000-0000-0000-000000000000",
			tid: "00000000-0000-0000-0000-000000000000",
		});
		expect(decodeProtectedHeader(token).alg).toBe("RS256");
	});

	it("refuses a botAppId or tenantId that is not a GUID, naming the field", async () => {
		const response = await send(
			"PUT",
			`${ORIGIN}/_stub/calls/${uniqueCallId()}/config`,
			{ botAppId: "my-bot", tenantId: 7 },
			{ token: TOKEN },
		);
		expect(response.status).toBe(400);
		const { error } = (await response.json()) as { error: { details: { target: string }[] } };
		expect(error.details.map((d) => d.target).sort()).toEqual(["botAppId", "tenantId"]);
	});
});
