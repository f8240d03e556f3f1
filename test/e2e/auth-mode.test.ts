import { describe, expect, it } from "vitest";
import { operationsUrl, startStub } from "./helpers/stub.ts";

const post = (url: string, headers: Record<string, string> = {}) =>
	fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: "{}" });

describe("AUTH_MODE", () => {
	it("optional: a request without a token is served in the fixed namespace 'anonymous'", async () => {
		const stub = await startStub({ vars: { AUTH_MODE: "optional" } });
		try {
			const url = operationsUrl(stub.base, "anon-call");
			const created = await post(url);
			expect(created.status).toBe(201);
			const id = ((await created.json()) as { id: string }).id;

			const anonymous = await fetch(url);
			expect(((await anonymous.json()) as { value: { id: string }[] }).value.map((op) => op.id)).toEqual([id]);
			// With a token, behaviour is unchanged: that token's own namespace, which has no such call.
			expect((await fetch(url, { headers: { Authorization: "Bearer someone" } })).status).toBe(404);
			// A malformed Authorization is still refused.
			expect((await post(url, { Authorization: "Basic abc" })).status).toBe(401);
		} finally {
			await stub.dispose();
		}
	});

	it("any (the default): the same request is 401", async () => {
		const stub = await startStub();
		try {
			const response = await post(operationsUrl(stub.base, "anon-call"));
			expect(response.status).toBe(401);
			expect(((await response.json()) as { error: { code: string } }).error.code).toBe("InvalidAuthenticationToken");
		} finally {
			await stub.dispose();
		}
	});

	it("tokens: a listed token is served, any other is 401", async () => {
		const stub = await startStub({
			vars: { AUTH_MODE: "tokens", STUB_TOKENS: JSON.stringify({ "e2e-listed-token-1": "team" }) },
		});
		try {
			const url = operationsUrl(stub.base, "tokens-call");
			expect((await post(url, { Authorization: "Bearer e2e-listed-token-1" })).status).toBe(201);
			const refused = await post(url, { Authorization: "Bearer e2e-guessed-token" });
			expect(refused.status).toBe(401);
			expect(refused.headers.get("WWW-Authenticate")).toBe("Bearer");
		} finally {
			await stub.dispose();
		}
	});

	it("a mode without its secret: every route but health is 500 naming the setting", async () => {
		const stub = await startStub({ vars: { AUTH_MODE: "hs256" } });
		try {
			const response = await post(operationsUrl(stub.base, "c"), { Authorization: "Bearer t" });
			expect(response.status).toBe(500);
			const { error } = (await response.json()) as { error: { code: string; message: string } };
			expect(error.code).toBe("UnknownError");
			expect(error.message).toContain("STUB_JWT_SECRET");
			expect((await fetch(`${stub.base}/_stub/health`)).status).toBe(200);
		} finally {
			await stub.dispose();
		}
	});
});
