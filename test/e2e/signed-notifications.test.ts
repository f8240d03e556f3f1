import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver } from "../receiver/notification-receiver.ts";
import { firstNotificationAuthorization } from "./helpers/signed-notification.ts";
import { startStub } from "./helpers/stub.ts";

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(() => new Promise<void>((resolve) => receiver?.server.close(() => resolve())));

const BOT = "7d1c8a0e-5b1f-4c7e-9a53-2f0e6d4b8c11";
const TENANT = "0f3e2d1c-4b5a-6978-8796-a5b4c3d2e1f0";

describe("notifications authenticated as Graph's are, end to end", () => {
	it("carry a bearer that a bot's jose validation, pointed at the stub's metadata, accepts", async () => {
		const stub = await startStub();
		try {
			const ids = { callId: "signed-call", hook: "/api/calling-signed", botAppId: BOT, tenantId: TENANT };
			const bearer = (await firstNotificationAuthorization(stub, receiver, ids)).replace(/^Bearer /, "");

			// What the bot does: the metadata URL (no auth), its jwks_uri, then the usual checks.
			const metadataUrl = `${stub.base}/_stub/.well-known/openid-configuration`;
			const metadata = (await (await fetch(metadataUrl)).json()) as { issuer: string; jwks_uri: string };
			const published = (await (await fetch(metadata.jwks_uri)).json()) as { keys: { kty: string }[] };
			expect(published.keys.map((key) => key.kty)).toEqual(["RSA"]);
			const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
			const { payload, protectedHeader } = await jwtVerify(bearer, keys, {
				issuer: "https://api.botframework.com",
				audience: BOT,
				algorithms: ["RS256"],
				requiredClaims: ["tid", "appid", "nbf", "exp"],
			});
			expect(protectedHeader.alg).toBe("RS256");
			expect(payload.tid).toBe(TENANT);
			await expect(jwtVerify(bearer, keys, { audience: "some-other-bot" })).rejects.toThrow();
		} finally {
			await stub.dispose();
		}
	});
});
