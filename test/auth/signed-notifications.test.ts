import { exports } from "cloudflare:workers";
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { create, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { fastForward, receivedAt, receiverUrl } from "../simulation/helpers";

const TOKEN = "sim-token";
const BOT = "11111111-2222-3333-4444-555555555555";
const TENANT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

/** What a bot's validation reads: the metadata (no auth), then its jwks_uri (no auth). */
async function stubKeys() {
	const metadata = (await (await exports.default.fetch(`${ORIGIN}/_stub/.well-known/openid-configuration`)).json()) as {
		issuer: string;
		jwks_uri: string;
		id_token_signing_alg_values_supported: string[];
	};
	const keys = (await (await exports.default.fetch(metadata.jwks_uri)).json()) as JSONWebKeySet;
	return { metadata, keys };
}

async function bearerOfFirstNotification(config: object) {
	const callId = uniqueCallId();
	const hook = `/signed-${callId}`;
	const put = await send(
		"PUT",
		`${ORIGIN}/_stub/calls/${callId}/config`,
		{
			callbackUri: `${receiverUrl()}${hook}`,
			progression: { default: [{ status: "Completed", afterMs: 1_000_000 }] },
			...config,
		},
		{ token: TOKEN },
	);
	expect(put.status).toBe(200);
	await create(callId, {}, { token: TOKEN });
	await fastForward(callId, TOKEN);
	const [received] = await receivedAt(hook);
	const authorization = received?.headers.authorization ?? "";
	expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
	return authorization.slice("Bearer ".length);
}

describe("notifications authenticated as Graph's are", () => {
	it("publishes metadata and public keys only, without auth", async () => {
		const { metadata, keys } = await stubKeys();
		expect(metadata).toMatchObject({
			issuer: "https://api.botframework.com",
			jwks_uri: `${ORIGIN}/_stub/.well-known/keys`,
			id_token_signing_alg_values_supported: ["ES256"],
		});
		expect(keys.keys).toHaveLength(1);
		expect(keys.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
		expect(keys.keys[0]).not.toHaveProperty("d");
	});

	it("signs each notification's bearer: iss Bot Framework, aud the botAppId, tid the tenantId, short-lived", async () => {
		const token = await bearerOfFirstNotification({ botAppId: BOT, tenantId: TENANT });
		const { metadata, keys } = await stubKeys();
		const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(keys), {
			issuer: metadata.issuer,
			audience: BOT,
			algorithms: metadata.id_token_signing_alg_values_supported,
		});
		expect(protectedHeader.kid).toBe(keys.keys[0]?.kid);
		expect(payload.tid).toBe(TENANT);
		expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
	});

	it("uses all-zero ids when the configuration names none, so a real bot's audience check fails loudly", async () => {
		const token = await bearerOfFirstNotification({});
		const { keys } = await stubKeys();
		const { payload } = await jwtVerify(token, createLocalJWKSet(keys));
		expect(payload).toMatchObject({
			aud: "00000000-0000-0000-0000-000000000000",
			tid: "00000000-0000-0000-0000-000000000000",
		});
		expect(decodeProtectedHeader(token).alg).toBe("ES256");
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
