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

	it("bearer (the default): the same request is 401", async () => {
		const stub = await startStub();
		try {
			const response = await post(operationsUrl(stub.base, "anon-call"));
			expect(response.status).toBe(401);
			expect(((await response.json()) as { error: { code: string } }).error.code).toBe("InvalidAuthenticationToken");
		} finally {
			await stub.dispose();
		}
	});
});
