import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { registryObject } from "../../src/calls/call-object";
import { CALLS_PER_STEP } from "../../src/objects/registry/fan-outs";
import { create, json, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";

// DELETE /_stub/calls and PUT /_stub/config reach every call of a namespace in bounded steps (CALLS_PER_STEP
// calls each), tracked in the registry's SQLite: cut off halfway — the request gone, the registry evicted — the
// registry's alarm resumes them where they stopped.

const MANY = 130; // more than three steps, more than one page

async function namespaceWith(count: number) {
	const token = `fan-${uniqueCallId()}`;
	const calls: string[] = [];
	for (let i = 0; i < count; i++) {
		const callId = uniqueCallId(`c${i}`);
		expect((await create(callId, {}, { token })).status).toBe(201);
		calls.push(callId);
	}
	const namespace = await tokenHashNamespace(token);
	return { token, namespace, calls, registry: registryObject(env, namespace) };
}

type Registry = ReturnType<typeof registryObject>;

const storedState = (registry: Registry) =>
	runInDurableObject(registry, async (_, state) => ({
		calls: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM calls").one().n,
		fanOuts: state.storage.sql.exec<{ kind: string }>("SELECT kind FROM fan_outs").toArray(),
		alarm: await state.storage.getAlarm(),
	}));

/** Runs the registry's alarm until no fan-out is left (it may also have fired by itself meanwhile). */
async function resumeByAlarm(registry: Registry) {
	for (let tries = 0; tries < 50; tries++) {
		const ran = await runDurableObjectAlarm(registry);
		if ((await storedState(registry)).fanOuts.length === 0) return;
		if (!ran) await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error("the fan-out did not finish");
}

const status = async (callId: string, token: string) =>
	(await send("GET", operationsUrl(callId), undefined, { token })).status;
const listed = async (token: string) =>
	(
		(await json(await send("GET", `${ORIGIN}/_stub/calls?$top=500`, undefined, { token }))).value as {
			callId: string;
		}[]
	).map((call) => call.callId);
const inherited = async (callId: string, token: string) =>
	(await json(await send("GET", `${ORIGIN}/_stub/calls/${callId}/config`, undefined, { token }))).inherited;

describe("DELETE /_stub/calls over many calls", () => {
	it("removes every call in bounded steps, and the default page is 100 with a nextLink", async () => {
		const { token, calls, registry } = await namespaceWith(MANY);
		const first = await json(await send("GET", `${ORIGIN}/_stub/calls`, undefined, { token }));
		expect((first.value as unknown[]).length).toBe(100);
		expect(first["@odata.nextLink"]).toContain("$top=100&$skiptoken=");
		// O(page): a page reads its own rows (and one more, to know whether more follow), wherever it starts.
		const deeper = String(first["@odata.nextLink"]).replace("$top=100", "$top=10");
		for (const url of [`${ORIGIN}/_stub/calls?$top=10`, deeper]) {
			const paged = await send("GET", url, undefined, { token });
			expect(((await paged.json()) as { value: unknown[] }).value).toHaveLength(10);
			expect(paged.headers.get("x-stub-rows-read")).toMatch(/^1[01]$/);
		}

		const response = await send("DELETE", `${ORIGIN}/_stub/calls`, undefined, { token });
		expect(response.status).toBe(204);
		expect(response.headers.get("x-stub-calls-removed")).toBe(String(MANY));
		expect(await listed(token)).toEqual([]);
		for (const callId of [calls[0], calls[MANY - 1]]) expect(await status(callId ?? "", token)).toBe(404);
		expect(await storedState(registry)).toEqual({ calls: 0, fanOuts: [], alarm: null });
	});

	it("cut off after its first step and evicted, is finished by the alarm; meanwhile each call is whole or gone", async () => {
		const { token, namespace, calls, registry } = await namespaceWith(MANY);
		const [oldest, newest] = [calls[0] ?? "", calls[MANY - 1] ?? ""];
		// What the DELETE does first: record the reset (one step), then one step (CALLS_PER_STEP calls), newest first.
		expect(await registry.resetAll(namespace)).toBe(MANY);
		expect(await registry.advance("reset")).toBe(false);
		await evictDurableObject(registry); // the request is gone, and the registry with everything it held in memory

		const halfway = await storedState(registry);
		expect(halfway.calls).toBe(MANY - CALLS_PER_STEP);
		expect(halfway.fanOuts).toEqual([{ kind: "reset" }]);
		expect(halfway.alarm).not.toBeNull();
		// The list drops them all at once; each call is either gone (reached) or whole (not yet).
		expect(await listed(token)).toEqual([]);
		expect(await status(newest, token)).toBe(404);
		expect(await status(oldest, token)).toBe(200);
		// A create on a call already reset begins a new call, which stays; one on a call not yet reached
		// lands in it and goes with it.
		expect((await create(newest, {}, { token })).headers.get("x-stub-sequence")).toBe("1");
		expect((await create(oldest, {}, { token })).headers.get("x-stub-sequence")).toBe("2");
		expect(await listed(token)).toEqual([newest]);

		await resumeByAlarm(registry);
		for (const callId of calls.slice(0, MANY - CALLS_PER_STEP)) expect(await status(callId, token)).toBe(404);
		expect(await status(newest, token)).toBe(200);
		expect(await listed(token)).toEqual([newest]);
		expect(await storedState(registry)).toEqual({ calls: 1, fanOuts: [], alarm: null });
	});

	it("a second DELETE while one is under way takes the calls begun since, and both finish", async () => {
		const { token, namespace, registry } = await namespaceWith(3);
		expect(await registry.resetAll(namespace)).toBe(3);
		const late = uniqueCallId("late");
		await create(late, {}, { token });
		const response = await send("DELETE", `${ORIGIN}/_stub/calls`, undefined, { token });
		expect(response.headers.get("x-stub-calls-removed")).toBe("1");
		expect(await status(late, token)).toBe(404);
		expect(await storedState(registry)).toEqual({ calls: 0, fanOuts: [], alarm: null });
	});
});

describe("PUT /_stub/config over many calls", () => {
	const config = (n: number) => ({ callbackUri: `https://localhost/cb-${n}` });

	it("pushes the default to every call before it answers", async () => {
		const { token, calls, registry } = await namespaceWith(MANY);
		const response = await send("PUT", `${ORIGIN}/_stub/config`, config(1), { token });
		expect(response.status).toBe(200);
		for (const callId of [calls[0] ?? "", calls[MANY - 1] ?? ""])
			expect(await inherited(callId, token)).toEqual(config(1));
		expect(await storedState(registry)).toMatchObject({ fanOuts: [], alarm: null });
	});

	it("cut off and evicted, is finished by the alarm, with the newest default if one came meanwhile", async () => {
		const { token, namespace, calls, registry } = await namespaceWith(MANY);
		const [oldest, newest] = [calls[0] ?? "", calls[MANY - 1] ?? ""];
		await registry.setConfig(namespace, config(1));
		expect(await registry.advance("config")).toBe(false);
		await evictDurableObject(registry);
		expect(await inherited(newest, token)).toEqual(config(1));
		expect(await inherited(oldest, token)).toBeNull(); // not reached yet
		// A call that begins now learns the stored default as it registers.
		const late = uniqueCallId("late");
		await create(late, {}, { token });
		expect(await inherited(late, token)).toEqual(config(1));

		// A newer default restarts the push from the newest call; the alarm takes it to the end.
		await registry.setConfig(namespace, config(2));
		await evictDurableObject(registry);
		await resumeByAlarm(registry);
		for (const callId of [oldest, newest, late]) expect(await inherited(callId, token)).toEqual(config(2));
		expect(await storedState(registry)).toMatchObject({ fanOuts: [], alarm: null });
	});
});
