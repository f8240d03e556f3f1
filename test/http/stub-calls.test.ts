import { describe, expect, it } from "vitest";
import { create, errorOf, json, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";

type Listed = { value: { callId: string; operationCount: number; lastActivity: string }[] };
const listCalls = async (token: string) =>
	(await (await send("GET", `${ORIGIN}/_stub/calls`, undefined, { token })).json()) as Listed;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("GET /_stub/calls", () => {
	it("lists the caller's calls with operation count and last activity, newest first", async () => {
		const token = `lister-${uniqueCallId()}`;
		const [older, newer] = [uniqueCallId(), uniqueCallId()];
		await create(older, {}, { token });
		await create(older, {}, { token });
		await tick();
		await create(newer, {}, { token });
		await create(uniqueCallId(), {}, { token: "someone-else" });
		const { value } = await listCalls(token);
		expect(value.map((call) => [call.callId, call.operationCount])).toEqual([
			[newer, 1],
			[older, 2],
		]);
		expect(value[0]?.lastActivity).toMatch(/^\d{4}-\d{2}-\d{2}T/);
	});

	it("needs a bearer token", async () => {
		const response = await send("GET", `${ORIGIN}/_stub/calls`, undefined, { token: null });
		expect(response.status).toBe(401);
		expect((await errorOf(response)).error.code).toBe("InvalidAuthenticationToken");
	});
});

describe("DELETE /_stub/calls/{callId}", () => {
	it("removes one call of the caller's namespace only; its next create starts at 1", async () => {
		const callId = uniqueCallId();
		const [alice, bob] = [`alice-${callId}`, `bob-${callId}`];
		for (const token of [alice, bob]) for (let i = 0; i < 3; i++) await create(callId, {}, { token });

		const reset = await send("DELETE", `${ORIGIN}/_stub/calls/${callId}`, undefined, { token: alice });
		expect(reset.status).toBe(204);
		expect((await send("GET", operationsUrl(callId), undefined, { token: alice })).status).toBe(404);
		expect((await listCalls(alice)).value).toEqual([]);

		const bobs = await json(await send("GET", operationsUrl(callId), undefined, { token: bob }));
		expect(bobs.value).toHaveLength(3);
		expect((await listCalls(bob)).value.map((call) => call.callId)).toEqual([callId]);

		const again = await create(callId, {}, { token: alice });
		expect(again.headers.get("x-stub-sequence")).toBe("1");
		expect((await listCalls(alice)).value.map((call) => call.callId)).toEqual([callId]);
	});

	it("is idempotent for a call that does not exist", async () => {
		const response = await send("DELETE", `${ORIGIN}/_stub/calls/${uniqueCallId()}`);
		expect(response.status).toBe(204);
	});
});

describe("DELETE /_stub/calls", () => {
	it("removes all of the caller's calls and none of anyone else's", async () => {
		const token = `resetter-${uniqueCallId()}`;
		const other = `bystander-${uniqueCallId()}`;
		const calls = [uniqueCallId(), uniqueCallId(), uniqueCallId()];
		for (const callId of calls) {
			await create(callId, {}, { token });
			await create(callId, {}, { token: other });
		}
		const response = await send("DELETE", `${ORIGIN}/_stub/calls`, undefined, { token });
		expect(response.status).toBe(204);
		expect(response.headers.get("x-stub-calls-removed")).toBe("3");
		expect((await listCalls(token)).value).toEqual([]);
		for (const callId of calls) {
			expect((await send("GET", operationsUrl(callId), undefined, { token })).status).toBe(404);
			expect((await send("GET", operationsUrl(callId), undefined, { token: other })).status).toBe(200);
		}
		expect((await listCalls(other)).value).toHaveLength(3);
	});
});
