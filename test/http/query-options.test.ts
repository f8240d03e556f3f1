import { describe, expect, it } from "vitest";
import { create, errorOf, json, operationsUrl, send, uniqueCallId } from "../helpers/graph";

// Option names are matched case-insensitively (OData 4.01), and on beta the `$` is optional (Graph's
// query-parameters page): each is normalised once, then applied or refused, never silently ignored.

type Page = { "@odata.count"?: number; "@odata.nextLink"?: string; value: { id: string }[] };

async function callWith(count: number) {
	const callId = uniqueCallId("query");
	for (let i = 0; i < count; i++) expect((await create(callId, { id: `op-${i}` })).status).toBe(201);
	return callId;
}

const list = async (callId: string, query: string, version = "beta") => {
	const response = await send("GET", `${operationsUrl(callId, version)}?${query}`);
	expect(response.status).toBe(200);
	return (await response.json()) as Page;
};

async function expectRefused(url: string, mentioning: string) {
	const response = await send("GET", url);
	expect(response.status).toBe(400);
	const { error } = await errorOf(response);
	expect(error.code).toBe("BadRequest");
	expect(error.message).toContain(mentioning);
}

describe("query option names: one rule for every route", () => {
	it("applies option names in any letter case, on both versions", async () => {
		const callId = await callWith(3);
		for (const version of ["beta", "v1.0"]) {
			expect((await list(callId, "$TOP=1", version)).value.map((op) => op.id)).toEqual(["op-0"]);
			const counted = await list(callId, "$Top=2&$COUNT=true", version);
			expect([counted.value.length, counted["@odata.count"]]).toEqual([2, 3]);
		}
	});

	it("follows a nextLink whose $skiptoken is spelt $skipToken", async () => {
		const callId = await callWith(3);
		const first = await list(callId, "$top=2");
		const next = String(first["@odata.nextLink"]).replace("$skiptoken=", "$skipToken=");
		const rest = (await json(await send("GET", next))) as Page;
		expect(rest.value.map((op) => op.id)).toEqual(["op-2"]);
	});

	it("on beta treats names without `$` as the options they name", async () => {
		const callId = await callWith(3);
		expect((await list(callId, "top=1")).value.map((op) => op.id)).toEqual(["op-0"]);
		expect((await list(callId, "Top=1&count=true"))["@odata.count"]).toBe(3);
		await expectRefused(`${operationsUrl(callId)}?filter=id eq 'op-1'`, "filter");
		await expectRefused(`${operationsUrl(callId)}?top=0`, "$top");
		expect((await list(callId, "tracking=abc")).value).toHaveLength(3);
	});

	it("on v1.0 ignores parameters without `$`, as Graph does", async () => {
		const callId = await callWith(3);
		expect((await list(callId, "top=1&filter=x", "v1.0")).value).toHaveLength(3);
	});

	it("refuses an unsupported option in any letter case", async () => {
		const callId = await callWith(1);
		for (const option of ["$FILTER=x", "$OrderBy=id", "$Skip=1", "$sElEcT=id"])
			await expectRefused(`${operationsUrl(callId, "v1.0")}?${option}`, option.split("=")[0] ?? "");
	});

	it("refuses an option given twice, however it is spelt", async () => {
		const callId = await callWith(1);
		await expectRefused(`${operationsUrl(callId)}?$top=1&$TOP=2`, "more than once");
		await expectRefused(`${operationsUrl(callId)}?top=1&$top=1`, "more than once");
		await expectRefused(`${operationsUrl(callId)}?$top=&$top=1`, "more than once");
	});

	it("refuses options on …/$count as the list does, and ignores custom parameters there", async () => {
		const callId = await callWith(2);
		const count = `${operationsUrl(callId)}/$count`;
		await expectRefused(`${count}?$filter=x`, "$filter");
		await expectRefused(`${count}?$TOP=1`, "$TOP");
		await expectRefused(`${count}?filter=x`, "filter");
		const plain = await send("GET", `${count}?tracking=1`);
		expect([plain.status, await plain.text()]).toEqual([200, "2"]);
		const v1 = await send("GET", `${operationsUrl(callId, "v1.0")}/$count?filter=x`);
		expect([v1.status, await v1.text()]).toEqual([200, "2"]);
	});

	it("refuses options on a single operation in any case, and `select` without `$` on beta", async () => {
		const callId = await callWith(1);
		await expectRefused(`${operationsUrl(callId)}/op-0?$SELECT=id`, "$SELECT");
		await expectRefused(`${operationsUrl(callId)}/op-0?select=id`, "select");
		expect((await send("GET", `${operationsUrl(callId, "v1.0")}/op-0?select=id`)).status).toBe(200);
	});
});
