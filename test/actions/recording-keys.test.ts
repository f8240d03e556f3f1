import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { sendWith } from "../auth/helpers";
import { advance, callUrl, newTester, type Tester } from "../calls/helpers";
import { errorOf, ORIGIN, send } from "../helpers/graph";
import { acted, after3, establishedCall } from "./helpers";

// A recording's URL is sealed by the deployment: a key it did not seal is refused in the Worker before any
// call object is named (so junk keys create none), and the URL does not reveal the caller's namespace.

const b64 = (text: string) => btoa(text);
const b64url = (text: string) => b64(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const randomB64url = (bytes: number) => b64url(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));

/** A finished recordResponse: its location and access token, as the bot reads them from the notification. */
async function recorded(
	tester: Tester,
	record: (callId: string) => Promise<unknown> = (callId) => acted(tester, callId, "recordResponse", {}),
) {
	const call = await establishedCall(tester, { recordMs: 1000 });
	await record(call.id);
	await advance(tester, call.id, "operationFinished");
	const [done] = await after3(tester, 1);
	return {
		callId: call.id,
		location: String(done?.resourceData.recordingLocation),
		token: String(done?.resourceData.recordingAccessToken),
	};
}

async function expectRefused(response: Response) {
	expect(response.status).toBe(401);
	expect((await errorOf(response)).error.code).toBe("InvalidAuthenticationToken");
}

describe("recording URLs", () => {
	it("a real key from a recordResponse downloads; the URL names neither the namespace nor the call", async () => {
		const tester = newTester();
		const { callId, location, token } = await recorded(tester);
		const wav = await send("GET", location, undefined, { token });
		expect(wav.status).toBe(200);
		expect(wav.headers.get("Content-Type")).toBe("audio/wav");

		const namespace = await tokenHashNamespace(tester.token);
		for (const secret of [namespace, namespace.slice("token:".length), callId])
			for (const form of [secret, b64(secret), b64url(secret), encodeURIComponent(secret)])
				expect(location).not.toContain(form);
		expect(location).not.toContain(b64url(JSON.stringify([namespace, callId])).slice(0, 24));
	});

	it("200 junk keys (old-style or random, with junk bearers) are 401 and create no call object", async () => {
		const before = (await listDurableObjectIds(env.CALLS)).length;
		for (let i = 0; i < 200; i++) {
			const key =
				i % 2 === 0 ? `${b64url(JSON.stringify([`junk-ns-${i}`, `junk-call-${i}`]))}.x` : randomB64url(40 + (i % 90));
			await expectRefused(await send("GET", `${ORIGIN}/_stub/recordings/${key}`, undefined, { token: `junk-${i}` }));
		}
		expect((await listDurableObjectIds(env.CALLS)).length).toBe(before);
	});

	it("a tampered key (any byte changed, cut or lengthened) is 401, the real one still works", async () => {
		const { location, token } = await recorded(newTester());
		const key = location.slice(`${ORIGIN}/_stub/recordings/`.length);
		const flip = (at: number) => key.slice(0, at) + (key[at] === "A" ? "B" : "A") + key.slice(at + 1);
		for (const bad of [flip(0), flip(20), flip(key.length - 2), key.slice(0, -4), `${key}AAAA`, `${key}.x`])
			await expectRefused(await send("GET", `${ORIGIN}/_stub/recordings/${bad}`, undefined, { token }));
		expect((await send("GET", location, undefined, { token })).status).toBe(200);
	});

	it("STUB_RECORDING_SECRET seals with that secret: another deployment's key does not open", async () => {
		const SECRET = { STUB_RECORDING_SECRET: "a-recording-secret-of-32-characters-at-least" };
		const tester = newTester();
		const { location, token } = await recorded(tester, (callId) =>
			sendWith(SECRET, "POST", `${callUrl(callId)}/recordResponse`, { token: tester.token, body: {} }),
		);
		expect((await sendWith(SECRET, "GET", location, { token })).status).toBe(200);
		await expectRefused(await send("GET", location, undefined, { token }));
		const short = await sendWith({ STUB_RECORDING_SECRET: "too-short" }, "GET", location, { token });
		expect(short.status).toBe(500);
		expect((await errorOf(short)).error.message).toContain("STUB_RECORDING_SECRET");
	});
});
