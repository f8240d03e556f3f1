import { describe, expect, it } from "vitest";
import { create, errorOf, ORIGIN, send, uniqueCallId } from "../helpers/graph";

// GET /_stub/calls pages as Graph's collections do: `$top`, then `@odata.nextLink` with an opaque
// `$skiptoken`, newest call first; a page costs its own size, not the namespace's.

type Page = { value: { callId: string }[]; "@odata.nextLink"?: string };

const page = async (token: string, url = `${ORIGIN}/_stub/calls`) => {
	const response = await send("GET", url, undefined, { token });
	expect(response.status).toBe(200);
	return (await response.json()) as Page;
};

async function namespaceWith(count: number) {
	const token = `pager-${uniqueCallId()}`;
	const calls: string[] = [];
	for (let i = 0; i < count; i++) {
		const callId = uniqueCallId(`c${i}`);
		expect((await create(callId, {}, { token })).status).toBe(201);
		calls.push(callId);
	}
	return { token, newestFirst: calls.reverse() };
}

async function expectRefused(token: string, query: string, mentioning: string) {
	const response = await send("GET", `${ORIGIN}/_stub/calls?${query}`, undefined, { token });
	expect(response.status).toBe(400);
	const { error } = await errorOf(response);
	expect(error.code).toBe("BadRequest");
	expect(error.message).toContain(mentioning);
}

describe("GET /_stub/calls, paged", () => {
	it("gives $top calls per page, newest first, and a nextLink until the last page", async () => {
		const { token, newestFirst } = await namespaceWith(7);
		const first = await page(token, `${ORIGIN}/_stub/calls?$top=3`);
		expect(first.value.map((call) => call.callId)).toEqual(newestFirst.slice(0, 3));
		expect(first["@odata.nextLink"]).toMatch(/^https:\/\/stub\.test\/_stub\/calls\?\$top=3&\$skiptoken=[\w-]+$/);

		const second = await page(token, first["@odata.nextLink"]);
		expect(second.value.map((call) => call.callId)).toEqual(newestFirst.slice(3, 6));
		// A call that begins between pages is newer than every page after the first: no call repeats, none is skipped.
		await create(uniqueCallId("late"), {}, { token });
		const third = await page(token, second["@odata.nextLink"]);
		expect(third.value.map((call) => call.callId)).toEqual(newestFirst.slice(6));
		expect(third["@odata.nextLink"]).toBeUndefined();
	});

	it("gives every call on one page when they fit, with no nextLink", async () => {
		const { token, newestFirst } = await namespaceWith(3);
		const only = await page(token);
		expect(only.value.map((call) => call.callId)).toEqual(newestFirst);
		expect(only["@odata.nextLink"]).toBeUndefined();
		expect((await page(token, `${ORIGIN}/_stub/calls?$top=3`))["@odata.nextLink"]).toBeUndefined();
	});

	it("refuses a $top out of 1–500, an unsupported option, a repeated one, with Graph's envelope", async () => {
		const token = `refused-${uniqueCallId()}`;
		for (const top of ["0", "501", "abc", "", "-1", "1.5"]) await expectRefused(token, `$top=${top}`, "$top");
		await expectRefused(token, "$top=1&$TOP=2", "more than once");
		await expectRefused(token, "$count=true", "not supported");
		await expectRefused(token, "$filter=x", "not supported");
		expect((await page(token, `${ORIGIN}/_stub/calls?$top=500&custom=1`)).value).toEqual([]);
	});

	it("refuses a $skiptoken altered by hand or handed out to another namespace", async () => {
		const mine = await namespaceWith(3);
		const theirs = await namespaceWith(3);
		const next = (await page(theirs.token, `${ORIGIN}/_stub/calls?$top=1`))["@odata.nextLink"] ?? "";
		const stolen = next.replace(/^.*\$skiptoken=/, "");
		await expectRefused(mine.token, `$top=1&$skiptoken=${stolen}`, "$skiptoken");
		const forged = btoa("2.000000000000000000000000").replace(/=+$/, "");
		await expectRefused(mine.token, `$skiptoken=${forged}`, "$skiptoken");
		await expectRefused(mine.token, "$skiptoken=%%%", "$skiptoken");
	});
});
