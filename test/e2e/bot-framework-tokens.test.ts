import { decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver } from "../receiver/notification-receiver.ts";
import { BotFrameworkValidator } from "./helpers/bot-framework-validator.ts";
import { firstNotificationAuthorization } from "./helpers/signed-notification.ts";
import { postJson, type RunningStub, startStub } from "./helpers/stub.ts";

const BOT = "5e0c3b7a-1d2f-4a6b-9c8d-7e6f5a4b3c2d";
const TENANT = "2b9d4e6f-8a1c-4d3e-b5f7-9a0c2e4d6f81";

let stub: RunningStub;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let calls = 0;
beforeAll(async () => {
	[stub, receiver] = await Promise.all([startStub(), startReceiver()]);
});
afterAll(async () => {
	await new Promise<void>((resolve) => receiver?.server.close(() => resolve()));
	await stub?.dispose();
});

const metadataUrl = () => `${stub.base}/_stub/.well-known/openid-configuration`;

/** The Authorization header of the first notification of a new call configured for BOT. */
const notificationAuthorization = () => {
	const callId = `bf-${++calls}`;
	return firstNotificationAuthorization(stub, receiver, {
		callId,
		hook: `/api/calling/${callId}`,
		botAppId: BOT,
		tenantId: TENANT,
	});
};

const rotate = async () => {
	const response = await postJson(`${stub.base}/_stub/keys/rotate`, {});
	expect(response.status).toBe(200);
	return (await response.json()) as { signing: string; next: string | null; previous: string | null };
};
const publishedKids = async () =>
	((await (await fetch(`${stub.base}/_stub/.well-known/keys`)).json()) as { keys: { kid: string }[] }).keys.map(
		(key) => key.kid,
	);

// Runs in order: the rotation at the end changes the stub's keys.
describe("notification tokens under a Bot Framework bot's validation rules", () => {
	it("accepts the stub's token: RS256, issuer, audience, tenant, a published kid, the signature", async () => {
		const validator = new BotFrameworkValidator(metadataUrl(), BOT);
		const authorization = await notificationAuthorization();
		expect(await validator.validate(authorization)).toEqual({ valid: true, tenantId: TENANT });
		expect(await new BotFrameworkValidator(metadataUrl(), "another-bot").validate(authorization)).toEqual({
			valid: false,
			reason: "audience",
		});
	});

	it("allows five minutes of clock skew past exp and before nbf, not more", async () => {
		const validator = new BotFrameworkValidator(metadataUrl(), BOT);
		const authorization = await notificationAuthorization();
		const { exp = 0, nbf = 0 } = JSON.parse(Buffer.from(authorization.split(".")[1] ?? "", "base64url").toString()) as {
			exp?: number;
			nbf?: number;
		};
		expect((await validator.validate(authorization, exp + 299)).valid).toBe(true);
		expect(await validator.validate(authorization, exp + 301)).toEqual({ valid: false, reason: "expired" });
		expect((await validator.validate(authorization, nbf - 299)).valid).toBe(true);
		expect(await validator.validate(authorization, nbf - 301)).toEqual({ valid: false, reason: "not yet valid" });
	});

	it("rejects an ES256 token (what the stub used to send) and an RS256 token from a key it did not publish", async () => {
		const validator = new BotFrameworkValidator(metadataUrl(), BOT);
		const [kid = ""] = await publishedKids();
		const claims = { tid: TENANT, appid: "26a18ebc-cdf7-4a6a-91cb-beb352805e81" };
		const forged = async (alg: string) =>
			new SignJWT(claims)
				.setProtectedHeader({ alg, kid, typ: "JWT" })
				.setIssuer("https://api.botframework.com")
				.setAudience(BOT)
				.setNotBefore("0s")
				.setExpirationTime("5m")
				.sign((await generateKeyPair(alg)).privateKey);
		expect(await validator.validate(`Bearer ${await forged("ES256")}`)).toEqual({
			valid: false,
			reason: "algorithm ES256 is not allowed",
		});
		expect(await validator.validate(`Bearer ${await forged("RS256")}`)).toEqual({ valid: false, reason: "signature" });
	});

	it("rotates: the next key is published before it signs, and a bot refreshing on an unknown kid keeps validating", async () => {
		const cachedBeforeRotation = new BotFrameworkValidator(metadataUrl(), BOT);
		const [first] = await publishedKids();
		expect(await cachedBeforeRotation.validate(await notificationAuthorization())).toMatchObject({ valid: true });
		expect(cachedBeforeRotation.refreshes).toBe(1);

		const step1 = await rotate();
		expect(step1).toMatchObject({ signing: first, previous: null });
		expect(await publishedKids()).toEqual([first, step1.next]);
		const stillOld = await notificationAuthorization();
		expect(decodeProtectedHeader(stillOld.slice("Bearer ".length)).kid).toBe(first);
		expect(await cachedBeforeRotation.validate(stillOld)).toMatchObject({ valid: true });
		expect(cachedBeforeRotation.refreshes).toBe(1); // a known kid: no download
		// A bot that refreshes now already holds the key that will sign next.
		const refreshedBetween = new BotFrameworkValidator(metadataUrl(), BOT);
		await refreshedBetween.refresh();

		const step2 = await rotate();
		expect(step2).toEqual({ signing: step1.next, next: null, previous: first });
		expect(await publishedKids()).toEqual([step1.next, first]);
		const rotated = await notificationAuthorization();
		expect(decodeProtectedHeader(rotated.slice("Bearer ".length)).kid).toBe(step1.next);
		expect(await cachedBeforeRotation.validate(rotated)).toMatchObject({ valid: true });
		expect(cachedBeforeRotation.refreshes).toBe(2); // the unknown kid made it download the keys once
		expect(await refreshedBetween.validate(rotated)).toMatchObject({ valid: true });
		expect(refreshedBetween.refreshes).toBe(1);
	});
});
