// A bot's tests with graph-comms-stub's test driver (vitest; node:test works the same way). Everything
// about the far side — the caller ringing and hanging up, faults, what the bot sent — goes through the
// helpers on `stub`: no raw fetches to /_stub, no polling.
//   npm install --save-dev graph-comms-stub vitest && npx vitest run

import { startStub } from "graph-comms-stub";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { GREETING, startIvrBot } from "./ivr-bot.mjs";

let stub;
let bot;

beforeAll(async () => {
	stub = await startStub();
	bot = await startIvrBot({ graphUrl: stub.graphUrl, token: stub.token });
});
afterAll(async () => {
	await bot?.close();
	await stub?.close();
});
beforeEach(async () => {
	await stub.reset({ config: true }); // no call and no fault plan of an earlier test is left
	await stub.configure({ calling: { setupMs: 50, promptMs: 300 } });
	bot.errors.length = 0;
});

const ended = (t) => t.notifications.some((n) => n.callState === "terminated" && n.state === "delivered");

test("answers, plays the greeting once, hangs up", async () => {
	const call = await stub.incomingCall({ callbackUri: bot.callbackUri });
	await stub.waitFor(call.id, ended, { timeoutMs: 10_000 });

	expect(await stub.requests(call.id, { route: "answer", count: true })).toBe(1);
	const greeting = { prompts: [{ mediaInfo: { uri: GREETING } }] };
	expect(await stub.requests(call.id, { route: "playPrompt", bodyContains: greeting, count: true })).toBe(1);
	expect(await stub.requests(call.id, { route: "hangUp", status: 204, count: true })).toBe(1);
	const told = (await stub.notifications(call.id)).map((n) => n.callState ?? `${n.operationStatus} prompt`);
	expect(told).toEqual([
		"incoming",
		"establishing",
		"established",
		"established",
		"completed prompt",
		"terminating",
		"terminated",
	]);
	expect((await stub.call(call.id))?.state).toBe("terminated");
	expect(bot.errors).toEqual([]);
});

test("the caller hangs up mid-prompt: the bot sends nothing more", async () => {
	await stub.configure({ calling: { promptMs: 60_000 } }); // merged: setupMs stays 50
	const call = await stub.incomingCall({ callbackUri: bot.callbackUri });
	await stub.waitFor(call.id, (t) => t.operations.find((op) => op.status === "running"));
	const before = (await stub.requests(call.id)).length;
	await stub.hangUp(call.id);
	await stub.waitFor(call.id, ended);

	const all = await stub.requests(call.id); // newest first
	expect(all.slice(0, all.length - before).map((r) => r.route)).toEqual(["farHangUp"]);
	expect(await stub.requests(call.id, { route: "hangUp", count: true })).toBe(0);
	expect(bot.errors).toEqual([]);
});

test("playPrompt fails: the bot hangs up instead of retrying", async () => {
	await stub.configure({ faults: { rules: [{ route: "playPrompt", nth: 1, status: 500 }] } });
	const call = await stub.incomingCall({ callbackUri: bot.callbackUri });
	await stub.waitFor(call.id, ended, { timeoutMs: 10_000 });

	const prompts = await stub.requests(call.id, { route: "playPrompt" });
	expect(prompts.map((r) => r.status)).toEqual([500]);
	expect(await stub.requests(call.id, { route: "hangUp", count: true })).toBe(1);
	expect(await stub.operations(call.id)).toEqual([]);
});

test("playPrompt throttled: the bot waits the Retry-After, then plays", async () => {
	await stub.configure({ faults: { rules: [{ route: "playPrompt", nth: 1, status: 429, retryAfterSeconds: 1 }] } });
	const call = await stub.incomingCall({ callbackUri: bot.callbackUri });
	// Reading the operations meanwhile is not the bot's traffic: it never counts against the Retry-After.
	await stub.waitFor(call.id, (t) => t.requests.some((r) => r.route === "playPrompt" && r.status === 429));
	expect(await stub.operations(call.id)).toEqual([]);
	await stub.waitFor(call.id, ended, { timeoutMs: 10_000 });

	const [played, throttled] = await stub.requests(call.id, { route: "playPrompt" }); // newest first
	expect([throttled?.status, played?.status]).toEqual([429, 200]);
	expect(throttled?.fault).toMatchObject({ status: 429 });
	const waited = Date.parse(played?.dateTime ?? "") - Date.parse(throttled?.dateTime ?? "");
	expect(waited).toBeGreaterThanOrEqual(1000);
	expect((await stub.operations(call.id)).map((op) => op.status)).toEqual(["completed"]);
});
