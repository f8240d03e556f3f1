import { describe, expect, it } from "vitest";
import { testerNamespace } from "../../src/auth/tester-namespace";
import { GraphError } from "../../src/http/graph-error";
import { ORIGIN, operationsUrl, uniqueCallId } from "../helpers/graph";
import { hs256, nowSeconds, SECRET, sendWith, settingsWith, unsecured } from "./helpers";

/** The 401 reason testerNamespace throws, or the namespace. */
async function outcome(token: string, vars: Record<string, string>): Promise<string> {
	try {
		return await testerNamespace(token, settingsWith(vars));
	} catch (error) {
		if (error instanceof GraphError && error.status === 401) return `401 ${error.message}`;
		throw error;
	}
}

const HASH = /^token:[0-9a-f]{64}$/;

describe("AUTH_MODE any (the default)", () => {
	const any = { AUTH_MODE: "any" };

	it("gives each token its own namespace, the token's SHA-256", async () => {
		expect(await outcome("alice-token", any)).toMatch(HASH);
		expect(await outcome("alice-token", any)).toBe(await outcome("alice-token", any));
		expect(await outcome("alice-token", any)).not.toBe(await outcome("bob-token", any));
	});

	it("never lets unverified claims choose a namespace: a forged JWT for alice's tenant is its own namespace", async () => {
		const alice = unsecured({ tid: "tenant-a", appid: "app" });
		const forged = unsecured({ tid: "tenant-a", appid: "app", exp: 1 });
		expect(await outcome(forged, any)).not.toBe(await outcome(alice, any));
	});

	it("over HTTP: a write with one token is invisible with another token for the same tenant", async () => {
		const callId = uniqueCallId();
		const alice = unsecured({ tid: "tenant-a", appid: "app", n: 1 });
		const mallory = unsecured({ tid: "tenant-a", appid: "app", n: 2 });
		expect((await sendWith(any, "POST", operationsUrl(callId), { token: alice, body: {} })).status).toBe(201);
		expect((await sendWith(any, "GET", operationsUrl(callId), { token: mallory })).status).toBe(404);
	});
});

describe("AUTH_MODE optional", () => {
	it("serves a request without Authorization in 'anonymous', and a token in its hash", async () => {
		const vars = { AUTH_MODE: "optional" };
		const callId = uniqueCallId();
		expect((await sendWith(vars, "POST", operationsUrl(callId), { body: {} })).status).toBe(201);
		expect((await sendWith(vars, "GET", operationsUrl(callId))).status).toBe(200);
		expect((await sendWith(vars, "GET", operationsUrl(callId), { token: "someone" })).status).toBe(404);
		expect(await outcome("someone", vars)).toMatch(HASH);
	});
});

describe("AUTH_MODE claims (local convenience)", () => {
	const claims = { AUTH_MODE: "claims" };

	it("groups tokens by unverified tid + appid/azp, apart from every other mode", async () => {
		expect(await outcome(unsecured({ tid: "t", appid: "a", exp: 1 }), claims)).toBe(
			await outcome(unsecured({ tid: "t", appid: "a", exp: 2 }), claims),
		);
		expect(await outcome(unsecured({ tid: "t", azp: "a" }), claims)).toBe("claims:tid:t/app:a");
		expect(await outcome("opaque", claims)).toMatch(HASH);
	});

	it("keeps the parts of a namespace apart: a '/' in tid cannot pose as another app", async () => {
		expect(await outcome(unsecured({ tid: "x/app:y", appid: "" }), claims)).not.toBe(
			await outcome(unsecured({ tid: "x", appid: "y/app:" }), claims),
		);
	});

	it("over HTTP: two tokens of one tenant and app share calls; another tenant does not see them", async () => {
		const callId = uniqueCallId();
		const first = unsecured({ tid: "tenant-c", appid: "app", n: 1 });
		const refreshed = unsecured({ tid: "tenant-c", appid: "app", n: 2 });
		expect((await sendWith(claims, "POST", operationsUrl(callId), { token: first, body: {} })).status).toBe(201);
		expect((await sendWith(claims, "GET", operationsUrl(callId), { token: refreshed })).status).toBe(200);
		const other = unsecured({ tid: "tenant-d", appid: "app" });
		expect((await sendWith(claims, "GET", operationsUrl(callId), { token: other })).status).toBe(404);
	});
});

describe("AUTH_MODE tokens", () => {
	const tokens = {
		AUTH_MODE: "tokens",
		STUB_TOKENS: JSON.stringify({ "alice-secret-token-1": "alice", "bob-secret-token-22": "bob" }),
	};

	it("accepts a listed token into its named namespace", async () => {
		expect(await outcome("alice-secret-token-1", tokens)).toBe("tokens:alice");
	});

	it("refuses any other token, a forged JWT included", async () => {
		expect(await outcome("alice-secret-token-2", tokens)).toBe(
			"401 Access token validation failure: the token is not one of this stub's STUB_TOKENS.",
		);
		expect(await outcome(unsecured({ tid: "t", appid: "a" }), tokens)).toMatch(/^401 .*STUB_TOKENS/);
	});

	it("over HTTP: 401 with WWW-Authenticate, and two listed tokens never meet", async () => {
		const callId = uniqueCallId();
		const refused = await sendWith(tokens, "GET", operationsUrl(callId), { token: "guess-guess-guess" });
		expect(refused.status).toBe(401);
		expect(refused.headers.get("WWW-Authenticate")).toBe("Bearer");
		expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("InvalidAuthenticationToken");
		const post = { token: "alice-secret-token-1", body: {} };
		expect((await sendWith(tokens, "POST", operationsUrl(callId), post)).status).toBe(201);
		expect((await sendWith(tokens, "GET", operationsUrl(callId), { token: "bob-secret-token-22" })).status).toBe(404);
	});
});

describe("AUTH_MODE hs256", () => {
	const mode = { AUTH_MODE: "hs256", STUB_JWT_SECRET: SECRET };
	const strict = { ...mode, STUB_JWT_AUDIENCE: "api://stub", STUB_JWT_ISSUER: "https://idp.example" };

	it("accepts a signed JWT: verified tid + appid/azp, else sub", async () => {
		expect(await outcome(await hs256({ tid: "t", appid: "a" }), mode)).toBe("hs256:tid:t/app:a");
		expect(await outcome(await hs256({ tid: "t", azp: "a" }), mode)).toBe("hs256:tid:t/app:a");
		expect(await outcome(await hs256({ sub: "carol" }), mode)).toBe("hs256:sub:carol");
		expect(await outcome(await hs256({ sub: "c", aud: "api://stub", iss: "https://idp.example" }), strict)).toBe(
			"hs256:sub:c",
		);
	});

	it("allows 60 s of clock skew on exp and nbf", async () => {
		expect(await outcome(await hs256({ sub: "c", exp: nowSeconds() - 30 }), mode)).toBe("hs256:sub:c");
		expect(await outcome(await hs256({ sub: "c", nbf: nowSeconds() + 30 }), mode)).toBe("hs256:sub:c");
	});

	it.each([
		[
			"forged with another secret",
			() => hs256({ tid: "t", appid: "a" }, "another-secret-of-32-characters-or-more"),
			"signature is invalid",
		],
		["expired", () => hs256({ sub: "c", exp: nowSeconds() - 120 }), "has expired"],
		["not valid yet", () => hs256({ sub: "c", nbf: nowSeconds() + 120 }), "not valid yet"],
		["without exp", () => hs256({ sub: "c", exp: undefined }), "no expiry"],
		["alg none", async () => unsecured({ tid: "t", appid: "a" }), "algorithm is not accepted"],
		["neither tid nor sub", () => hs256({ name: "c" }), "neither a tenant"],
		["not a JWT", async () => "opaque-token", "not a well-formed"],
		["a tampered payload", async () => tamper(await hs256({ tid: "t", appid: "a" })), "signature is invalid"],
	])("refuses a token %s", async (_, token, reason) => {
		expect(await outcome(await token(), mode)).toMatch(new RegExp(`^401 Access token validation failure: .*${reason}`));
	});

	it.each([
		["audience", { sub: "c", aud: "api://other", iss: "https://idp.example" }, "audience"],
		["audience (none)", { sub: "c", iss: "https://idp.example" }, "audience"],
		["issuer", { sub: "c", aud: "api://stub", iss: "https://evil.example" }, "issuer"],
	])("refuses the wrong %s when one is configured", async (_, claims, reason) => {
		expect(await outcome(await hs256(claims), strict)).toMatch(new RegExp(`^401 .*${reason}`));
	});

	it("over HTTP: a forged token is 401 with the reason, a signed one reaches its namespace", async () => {
		const callId = uniqueCallId();
		const forged = await hs256({ tid: "t", appid: "a" }, "another-secret-of-32-characters-or-more");
		const refused = await sendWith(mode, "POST", operationsUrl(callId), { token: forged, body: {} });
		expect(refused.status).toBe(401);
		expect(refused.headers.get("WWW-Authenticate")).toBe("Bearer");
		expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("signature");
		const signed = await hs256({ tid: "t", appid: "a" });
		expect((await sendWith(mode, "POST", operationsUrl(callId), { token: signed, body: {} })).status).toBe(201);
		expect((await sendWith(mode, "GET", `${ORIGIN}/_stub/calls`, { token: signed })).status).toBe(200);
	});
});

/** The same header and signature with another payload: what a forger who edits `tid` sends. */
function tamper(token: string): string {
	const [header, , signature] = token.split(".");
	const payload = btoa(JSON.stringify({ tid: "victim", appid: "a", exp: nowSeconds() + 3600 })).replace(/=+$/, "");
	return `${header}.${payload}.${signature}`;
}

describe("a namespace too long to name a call object", () => {
	it("is named by its hash, stable, and its calls work", async () => {
		const mode = { AUTH_MODE: "claims" };
		const longTid = "t".repeat(2000);
		const token = unsecured({ tid: longTid, appid: "a" });
		const create = () =>
			sendWith(mode, "POST", `${ORIGIN}/beta/communications/calls/long-ns-call/operations`, { token, body: {} });
		expect((await create()).status).toBe(201);
		expect((await create()).headers.get("x-stub-sequence")).toBe("2");
		const other = unsecured({ tid: `${longTid}x`, appid: "a" });
		const list = await sendWith(mode, "GET", `${ORIGIN}/beta/communications/calls/long-ns-call/operations`, {
			token: other,
		});
		expect(list.status).toBe(404);
	});
});
