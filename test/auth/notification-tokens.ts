import { exports } from "cloudflare:workers";
import type { JSONWebKeySet } from "jose";
import { expect } from "vitest";
import { create, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { fastForward, receivedAt, receiverUrl } from "../simulation/helpers";

export const TOKEN = "sim-token";

/** What a bot's validation reads: the metadata (no auth), then its jwks_uri (no auth). */
export async function stubKeys() {
	const metadata = (await (await exports.default.fetch(`${ORIGIN}/_stub/.well-known/openid-configuration`)).json()) as {
		issuer: string;
		jwks_uri: string;
		id_token_signing_alg_values_supported: string[];
	};
	const keys = (await (await exports.default.fetch(metadata.jwks_uri)).json()) as JSONWebKeySet;
	return { metadata, keys };
}

/** The bearer of the first notification of a new call configured with `config`. */
export async function bearerOfFirstNotification(config: object) {
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
