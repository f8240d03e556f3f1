import { exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CallRegistry } from "../../src/objects/registry/call-registry";
import { ListSignal, QUIET_MS } from "../../src/objects/timeline/list-signal";
import { ORIGIN, operationsUrl, send } from "../helpers/graph";

// A call reports its summary to the namespace's registry only while a page watches the calls list
// (GET /_stub/live); told "nobody watches", it reports at most once per QUIET_MS.

const LIVE = `${ORIGIN}/_stub/live`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
	vi.restoreAllMocks();
	vi.useRealTimers();
});

/** The reports the registry hears of `callId`, with when each arrived (the real registry, counted on its way in). */
function reportsOf(callId: string, at: number[] = [], counts: number[] = []) {
	const heard: boolean[] = [];
	const original = CallRegistry.prototype.callChanged;
	vi.spyOn(CallRegistry.prototype, "callChanged").mockImplementation(async function (this: CallRegistry, summary) {
		const watched = await original.call(this, summary);
		if (summary.callId === callId) {
			heard.push(watched);
			at.push(Date.now());
			counts.push(summary.operationCount);
		}
		return watched;
	});
	return heard;
}

async function burst(token: string, callId: string, ms: number) {
	const end = Date.now() + ms;
	let count = 0;
	while (Date.now() < end) {
		const statuses = await Promise.all(
			Array.from({ length: 5 }, () => send("POST", operationsUrl(callId), {}, { token }).then((r) => r.status)),
		);
		expect(statuses.every((status) => status === 201)).toBe(true);
		count += 5;
		await sleep(50);
	}
	return count;
}

describe("a call's reports to the calls list", () => {
	it("an unwatched call reports at most once per quiet window under a burst of creates, and its last count by a window's end", async () => {
		const token = `quiet-${crypto.randomUUID()}`;
		const at: number[] = [];
		const counts: number[] = [];
		const heard = reportsOf("quiet-burst", at, counts);
		const began = Date.now();
		const created = await burst(token, "quiet-burst", 1_500); // ~7 reports at one per 200 ms before
		const burstEnded = Date.now();
		// By the end of the window the last report opened, the registry has the call's final count (one more
		// report if the count changed after the first; none if the first came after the burst, as under load).
		await vi.waitFor(() => expect(counts.at(-1)).toBe(created), { timeout: QUIET_MS + 3_000, interval: 100 });
		await sleep(500);
		expect(heard.every((watched) => watched === false)).toBe(true);
		// Judged by when each report came, not by fixed sleeps: a loaded machine may stretch the burst.
		const gaps = at.slice(1).map((t, i) => t - (at[i] ?? t));
		for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(QUIET_MS - 250);
		// No more reports than quiet windows the burst spanned, plus the first and the window's end.
		expect(heard.length).toBeLessThanOrEqual(2 + Math.floor((burstEnded - began) / QUIET_MS));
	}, 20_000);

	it("a page that connects sees a quiet call's next change within the quiet window, and a new call at once", async () => {
		const token = `quiet-${crypto.randomUUID()}`;
		const heard = reportsOf("quiet-old");
		expect((await send("POST", operationsUrl("quiet-old"), {}, { token })).status).toBe(201);
		await vi.waitFor(() => expect(heard).toEqual([false]));
		const page = await exports.default.fetch(`${LIVE}?access_token=${token}`, { headers: { Upgrade: "websocket" } });
		const socket = page.webSocket;
		if (!socket) throw new Error("no WebSocket");
		const seen: { callId: string; operationCount: number; at: number }[] = [];
		socket.addEventListener("message", (event) => {
			const change = JSON.parse(String(event.data)) as { calls: { callId: string; operationCount: number }[] };
			for (const call of change.calls) seen.push({ ...call, at: Date.now() });
		});
		socket.accept();
		// A new call is pushed within the report's delay (~200 ms) and the registry's (~50 ms).
		const began = Date.now();
		expect((await send("POST", operationsUrl("quiet-new"), {}, { token })).status).toBe(201);
		await vi.waitFor(() => expect(seen.find((c) => c.callId === "quiet-new")?.operationCount).toBe(1), {
			timeout: 2_000,
		});
		expect((seen.find((c) => c.callId === "quiet-new")?.at ?? Infinity) - began).toBeLessThan(1_000);
		// The quiet call's next change arrives by the end of its window (it learns that a page watches).
		expect((await send("POST", operationsUrl("quiet-old"), {}, { token })).status).toBe(201);
		await vi.waitFor(() => expect(seen.find((c) => c.callId === "quiet-old")?.operationCount).toBe(2), {
			timeout: QUIET_MS + 1_000,
			interval: 100,
		});
		expect(heard).toEqual([false, true]);
		// Watched now: its next change is pushed at once.
		const next = Date.now();
		expect((await send("POST", operationsUrl("quiet-old"), {}, { token })).status).toBe(201);
		await vi.waitFor(() => expect(seen.find((c) => c.callId === "quiet-old" && c.operationCount === 3)).toBeDefined());
		expect((seen.find((c) => c.operationCount === 3)?.at ?? Infinity) - next).toBeLessThan(1_000);
		socket.close();
	}, 20_000);
});

describe("ListSignal", () => {
	it("told that nobody watches, sends nothing more until the window's end, then once; a new incarnation at once", async () => {
		vi.useFakeTimers();
		let incarnation = 1;
		let count = 0;
		const sent: number[] = [];
		const signal = new ListSignal(
			async () => ({ incarnation, summary: { callId: "c", operationCount: count, lastActivity: "t" } }),
			async (summary) => {
				sent.push(summary.operationCount);
				return false;
			},
			() => incarnation,
		);
		for (let i = 0; i < 40; i++) {
			count++;
			signal.changed();
			await vi.advanceTimersByTimeAsync(100);
		}
		expect(sent).toEqual([2]); // 4 s of changes: the first report only
		await vi.advanceTimersByTimeAsync(QUIET_MS);
		expect(sent).toEqual([2, 40]);
		count++;
		signal.changed();
		await vi.advanceTimersByTimeAsync(1_000);
		expect(sent).toEqual([2, 40]); // quiet again
		incarnation = 2; // reset: the call begins again
		count = 1;
		signal.changed();
		await vi.advanceTimersByTimeAsync(250);
		expect(sent).toEqual([2, 40, 1]);
	});
});
