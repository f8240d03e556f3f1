import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace as testerNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import { create, errorOf, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";

/** `levels` arrays around `inner`, built as text so the test itself never recurses. */
const nestedArrays = (levels: number, inner = "1") => `${"[".repeat(levels)}${inner}${"]".repeat(levels)}`;
/** `levels` objects `{"x":…}` around `inner`. */
const nestedObjects = (levels: number, inner = "1") => `${'{"x":'.repeat(levels)}${inner}${"}".repeat(levels)}`;

const INVITE = '"@odata.type":"#microsoft.graph.inviteParticipantsOperation"';

async function storedRows(callId: string) {
	const stub = callObject(env, await testerNamespace("tester-token"), callId);
	return runInDurableObject(stub, (_, state) => state.storage.sql.exec("SELECT id FROM operations").toArray().length);
}

async function expectTooDeep(response: Response, target: string) {
	expect(response.status).toBe(400);
	const { error } = await errorOf(response);
	expect(error.code).toBe("BadRequest");
	expect(error.details?.map((detail) => detail.target)).toEqual([target]);
	expect(error.message).toContain("nests deeper than 32 levels");
}

describe("deeply nested bodies: refused with 400 on every write path, never stored, never a 500", () => {
	it("refuses a declared property nested 32,000 levels deep on create, and stores nothing", async () => {
		const callId = uniqueCallId();
		const body = `{${INVITE},"participants":[${nestedObjects(1, nestedArrays(32_000))}]}`;
		expect(body.length).toBeLessThan(65_536);
		await expectTooDeep(await create(callId, body), "participants");
		expect(await storedRows(callId)).toBe(0);
	});

	it("refuses a PATCH whose declared property nests 3,000 objects deep, and changes nothing", async () => {
		const callId = uniqueCallId();
		expect(
			(await create(callId, { "@odata.type": "#microsoft.graph.inviteParticipantsOperation", id: "op" })).status,
		).toBe(201);
		const url = `${operationsUrl(callId)}/op`;
		const before = await (await send("GET", url)).text();
		await expectTooDeep(await send("PATCH", url, `{"participants":[${nestedObjects(3_000)}]}`), "participants");
		expect(await (await send("GET", url)).text()).toBe(before);
	});

	it("refuses a deep status, resultInfo or clientContext by depth before any other rule", async () => {
		for (const key of ["status", "resultInfo", "clientContext", "id", "@odata.type"])
			await expectTooDeep(await create(uniqueCallId(), `{"${key}":${nestedArrays(40)}}`), key);
	});

	it("refuses a deep configuration, for one call and for the namespace", async () => {
		const deep = `{"progression":{"default":${nestedArrays(5_000)}}}`;
		await expectTooDeep(await send("PUT", `${ORIGIN}/_stub/calls/${uniqueCallId()}/config`, deep), "progression");
		await expectTooDeep(await send("PUT", `${ORIGIN}/_stub/config`, deep), "progression");
	});

	it("accepts 32 levels inside a property and refuses 33", async () => {
		expect((await create(uniqueCallId(), `{"custom":${nestedArrays(32)}}`)).status).toBe(201);
		expect((await create(uniqueCallId(), `{"custom":${nestedObjects(32)}}`)).status).toBe(201);
		await expectTooDeep(await create(uniqueCallId(), `{"custom":${nestedArrays(33)}}`), "custom");
		await expectTooDeep(await create(uniqueCallId(), `{"custom":${nestedObjects(33)}}`), "custom");
	});
});
