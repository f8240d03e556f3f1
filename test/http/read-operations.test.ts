import { describe, expect, it } from "vitest";
import { create, errorOf, json, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";

async function seed(callId: string, count: number, token?: string) {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const response = await create(callId, { id: `op-${i}`, clientContext: `c-${i}` }, { token });
		ids.push(String((await json(response)).id));
	}
	return ids;
}

type Page = { "@odata.context": string; "@odata.count"?: number; "@odata.nextLink"?: string; value: { id: string }[] };

describe("GET …/operations/{id}", () => {
	it("answers the operation with its context, sequence and Graph headers", async () => {
		const callId = uniqueCallId();
		const created = await json(await create(callId, { id: "op-1", status: "Running", custom: [1] }));
		const response = await send("GET", `${operationsUrl(callId)}/op-1`);
		expect(response.status).toBe(200);
		expect(await json(response)).toEqual(created);
		expect(response.headers.get("x-stub-sequence")).toBe("1");
		expect(response.headers.get("OData-Version")).toBe("4.0");
		expect(response.headers.get("Content-Type")).toContain("odata.metadata=minimal");
	});

	it("finds ids with reserved characters through their escaped form", async () => {
		const callId = uniqueCallId();
		const id = "a/b?c#d ü";
		await create(callId, { id });
		const response = await send("GET", `${operationsUrl(callId)}/${encodeURIComponent(id)}`);
		expect((await json(response)).id).toBe(id);
	});

	it("answers 404 itemNotFound for an unknown operation, 404 8522 for an unknown call", async () => {
		const callId = uniqueCallId();
		await create(callId, {});
		const missingOperation = await send("GET", `${operationsUrl(callId)}/nope`);
		expect(missingOperation.status).toBe(404);
		expect((await errorOf(missingOperation)).error.code).toBe("itemNotFound");
		const missingCall = await send("GET", `${operationsUrl(uniqueCallId())}/nope`);
		expect(missingCall.status).toBe(404);
		expect((await errorOf(missingCall)).error).toMatchObject({ code: "8522", message: "Call not found." });
	});

	it("does not show one namespace's operation to another", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "secret" }, { token: "alice" });
		const response = await send("GET", `${operationsUrl(callId)}/secret`, undefined, { token: "mallory" });
		expect(response.status).toBe(404);
	});

	it("refuses OData options it does not implement", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "x" });
		const response = await send("GET", `${operationsUrl(callId)}/x?$select=id`);
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error.message).toContain("$select");
	});
});

describe("GET …/operations", () => {
	it("lists in sequence order with the collection context", async () => {
		const callId = uniqueCallId();
		const ids = await seed(callId, 5);
		const response = await send("GET", operationsUrl(callId));
		expect(response.status).toBe(200);
		const page = (await response.json()) as Page;
		expect(page["@odata.context"]).toBe(`${ORIGIN}/beta/$metadata#communications/calls('${callId}')/operations`);
		expect(page.value.map((op) => op.id)).toEqual(ids);
		expect(page).not.toHaveProperty("@odata.nextLink");
		expect(page).not.toHaveProperty("@odata.count");
	});

	it("reads 250 operations in three pages of $top=100, each exactly once, in order, with @odata.count", async () => {
		const callId = uniqueCallId();
		const ids = await seed(callId, 250);
		const seen: string[] = [];
		const sizes: number[] = [];
		let url: string | undefined = `${operationsUrl(callId)}?$top=100&$count=true`;
		while (url) {
			expect(url.startsWith(`${ORIGIN}/beta/communications/calls/`)).toBe(true);
			const page = (await (await send("GET", url)).json()) as Page;
			expect(page["@odata.count"]).toBe(250);
			sizes.push(page.value.length);
			seen.push(...page.value.map((op) => op.id));
			url = page["@odata.nextLink"];
		}
		expect(sizes).toEqual([100, 100, 50]);
		expect(seen).toEqual(ids);
	});

	it("defaults to pages of 100", async () => {
		const callId = uniqueCallId();
		await seed(callId, 101);
		const page = (await (await send("GET", operationsUrl(callId))).json()) as Page;
		expect(page.value).toHaveLength(100);
		expect(page["@odata.nextLink"]).toContain("$skiptoken=");
	});

	it("refuses a tampered skiptoken and one taken from another call or namespace", async () => {
		const callId = uniqueCallId();
		const otherCall = uniqueCallId();
		await seed(callId, 3);
		await seed(otherCall, 3);
		const page = (await (await send("GET", `${operationsUrl(callId)}?$top=1`)).json()) as Page;
		const token = new URL(page["@odata.nextLink"] ?? "").searchParams.get("$skiptoken") ?? "";
		const forged = btoa(`${atob(token.replaceAll("-", "+").replaceAll("_", "/")).replace(/^1\./, "2.")}`);
		for (const [url, options] of [
			[`${operationsUrl(callId)}?$skiptoken=${forged}`, {}],
			[`${operationsUrl(callId)}?$skiptoken=not-base64!`, {}],
			[`${operationsUrl(callId)}?$skiptoken=`, {}],
			[`${operationsUrl(otherCall)}?$skiptoken=${token}`, {}],
			[`${operationsUrl(callId)}?$skiptoken=${token}`, { token: "someone-else" }],
		] as const) {
			const response = await send("GET", url, undefined, options);
			expect(response.status).toBe(400);
			expect((await errorOf(response)).error.message).toContain("$skiptoken");
		}
		const honest = await send("GET", `${operationsUrl(callId)}?$skiptoken=${token}`);
		expect(((await honest.json()) as Page).value.map((op) => op.id)).toEqual(["op-1", "op-2"]);
	});

	it.each(["0", "1000", "-1", "abc", "1.5"])("refuses $top=%s", async (top) => {
		const callId = uniqueCallId();
		await seed(callId, 1);
		const response = await send("GET", `${operationsUrl(callId)}?$top=${top}`);
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error.details?.[0]?.target).toBe("$top");
	});

	it("refuses unsupported OData options and ignores other parameters", async () => {
		const callId = uniqueCallId();
		await seed(callId, 2);
		for (const option of ["$filter=status eq 'Running'", "$orderby=id", "$skip=1", "$expand=x", "$unknown=1"]) {
			const response = await send("GET", `${operationsUrl(callId)}?${option}`);
			expect(response.status).toBe(400);
		}
		const ignored = await send("GET", `${operationsUrl(callId)}?tracking=abc`);
		expect(((await ignored.json()) as Page).value).toHaveLength(2);
	});

	it("answers 404 8522 for a call with no operations", async () => {
		const response = await send("GET", operationsUrl(uniqueCallId()));
		expect(response.status).toBe(404);
		expect((await errorOf(response)).error.code).toBe("8522");
	});
});

describe("GET …/operations/$count", () => {
	it("answers the count as text/plain", async () => {
		const callId = uniqueCallId();
		await seed(callId, 7);
		const response = await send("GET", `${operationsUrl(callId)}/$count`);
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toContain("text/plain");
		expect(await response.text()).toBe("7");
	});

	it("answers 404 8522 for an unknown call", async () => {
		const response = await send("GET", `${operationsUrl(uniqueCallId())}/$count`);
		expect((await errorOf(response)).error.code).toBe("8522");
	});
});
