import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { tokenHashNamespace as testerNamespace } from "../../src/auth/token-hash";
import type { CallListChange } from "../../src/objects/registry/calls-live";
import { MAX_CALL_LIST_WATCHERS } from "../../src/objects/registry/calls-live";
import { configure, createCall, newTester } from "../calls/helpers";
import { ORIGIN, operationsUrl, send } from "../helpers/graph";

// GET /_stub/live: the namespace's registry pushes the calls list's changes to the live page.

const LIVE = `${ORIGIN}/_stub/live`;

async function listen(token: string, init: { header?: boolean } = {}) {
	const response = await exports.default.fetch(
		init.header ? LIVE : `${LIVE}?access_token=${encodeURIComponent(token)}`,
		{ headers: { Upgrade: "websocket", ...(init.header ? { Authorization: `Bearer ${token}` } : {}) } },
	);
	expect(response.status).toBe(101);
	const socket = response.webSocket;
	if (!socket) throw new Error("no WebSocket");
	const received: CallListChange[] = [];
	let closed: number | undefined;
	let wake: (() => void) | undefined;
	socket.addEventListener("message", (event) => {
		received.push(JSON.parse(String(event.data)) as CallListChange);
		wake?.();
	});
	socket.addEventListener("close", (event) => {
		closed = event.code;
		wake?.();
	});
	socket.accept();
	/** Waits until `test` holds of what arrived (bounded by the test's own timeout). */
	const until = async <T>(test: () => T | undefined): Promise<T> => {
		for (;;) {
			const found = test();
			if (found !== undefined && found !== false) return found;
			await new Promise<void>((resolve) => {
				wake = resolve;
			});
		}
	};
	const summaryOf = (callId: string, test: (s: CallListChange["calls"][number]) => boolean = () => true) =>
		until(() => received.flatMap((change) => change.calls).find((s) => s.callId === callId && test(s)));
	const endedOf = (callId: string) => until(() => received.some((change) => change.ended.includes(callId)));
	return { socket, received, summaryOf, endedOf, closed: () => closed, until };
}

describe("the calls list's live socket", () => {
	it("pushes a call that begins, its operation count as it grows, and its end", async () => {
		const token = `list-${crypto.randomUUID()}`;
		const live = await listen(token);
		expect((await send("POST", operationsUrl("listed-1"), {}, { token })).status).toBe(201);
		expect(await live.summaryOf("listed-1")).toMatchObject({ callId: "listed-1", operationCount: 1 });
		expect((await send("POST", operationsUrl("listed-1"), {}, { token })).status).toBe(201);
		await live.summaryOf("listed-1", (s) => s.operationCount === 2);
		expect((await send("DELETE", `${ORIGIN}/_stub/calls/listed-1`, undefined, { token })).status).toBe(204);
		await live.endedOf("listed-1");
		live.socket.close();
	});

	it("coalesces a burst: reads change nothing shown and send nothing", async () => {
		const token = `list-${crypto.randomUUID()}`;
		const live = await listen(token);
		const creates = await Promise.all(
			Array.from({ length: 5 }, () => send("POST", operationsUrl("burst"), {}, { token })),
		);
		expect(creates.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
		await live.summaryOf("burst", (s) => s.operationCount === 5);
		const before = live.received.length;
		expect(before).toBeLessThanOrEqual(2); // five creates, one or two reports (never one per request)
		for (let i = 0; i < 3; i++)
			expect((await send("GET", operationsUrl("burst"), undefined, { token })).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect(live.received.length).toBe(before);
		live.socket.close();
	});

	it("pushes a call resource's state as it moves (established by the far side, terminated by a hang-up)", async () => {
		const tester = newTester("list");
		await configure(tester);
		const live = await listen(tester.token, { header: true });
		const call = await createCall(tester);
		expect(await live.summaryOf(call.id)).toMatchObject({ state: "establishing", direction: "outgoing" });
		const hangUp = await send("POST", `${ORIGIN}/_stub/calls/${call.id}/hangup`, undefined, { token: tester.token });
		expect(hangUp.status).toBeLessThan(300);
		await live.summaryOf(call.id, (s) => s.state === "terminated");
		live.socket.close();
	});

	it("shows a namespace only its own calls", async () => {
		const owner = `list-${crypto.randomUUID()}`;
		const stranger = await listen(`list-${crypto.randomUUID()}`);
		const live = await listen(owner);
		expect((await send("POST", operationsUrl("private"), {}, { token: owner })).status).toBe(201);
		await live.summaryOf("private");
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(stranger.received).toEqual([]);
		stranger.socket.close();
		live.socket.close();
	});

	it(`keeps at most ${MAX_CALL_LIST_WATCHERS} pages per namespace: one is closed (1008) for a new one`, async () => {
		// Inside the registry: the Worker's test context holds only 6 connections open at once.
		const registry = env.REGISTRIES.getByName(await testerNamespace(`list-${crypto.randomUUID()}`));
		const seen = await runInDurableObject(registry, async (instance, state) => {
			const pages: { socket: WebSocket; closed?: number; received: string[] }[] = [];
			for (let i = 0; i < MAX_CALL_LIST_WATCHERS + 1; i++) {
				const socket = (await instance.fetch()).webSocket;
				if (!socket) throw new Error("no WebSocket");
				const page: (typeof pages)[number] = { socket, received: [] };
				socket.addEventListener("close", (event) => {
					page.closed = event.code;
				});
				socket.addEventListener("message", (event) => page.received.push(String(event.data)));
				socket.accept();
				pages.push(page);
			}
			const accepted = state.getWebSockets().filter((socket) => socket.readyState === WebSocket.OPEN).length;
			// The newest still hears changes.
			await instance.register("bounded");
			await instance.callChanged({ callId: "bounded", operationCount: 1, lastActivity: new Date().toISOString() });
			await vi.waitFor(() => expect(pages.at(-1)?.received).toHaveLength(1));
			const result = {
				accepted,
				received: pages.map((page) => page.received.length),
				newest: pages.at(-1)?.received ?? [],
			};
			for (const page of pages.slice(1)) page.socket.close();
			return result;
		});
		expect(seen.accepted).toBe(MAX_CALL_LIST_WATCHERS);
		// One earlier page was closed (1008, "too many pages"): it hears nothing more; the others, the newest too, do.
		expect(seen.received.toSorted()).toEqual([0, ...Array(MAX_CALL_LIST_WATCHERS).fill(1)]);
		expect(seen.received.at(-1)).toBe(1);
		expect(seen.newest.map((text) => JSON.parse(text))).toEqual([
			{ calls: [expect.objectContaining({ callId: "bounded" })], ended: [] },
		]);
	});

	it("refuses like the call's live socket: 401 without a usable token, 426 without an upgrade", async () => {
		const anonymous = await exports.default.fetch(LIVE, { headers: { Upgrade: "websocket" } });
		expect(anonymous.status).toBe(401);
		for (const token of ["a%0Ab", "a%20b", "%C3%A9t%C3%A9", "a%00b"]) {
			const response = await exports.default.fetch(`${LIVE}?access_token=${token}`, {
				headers: { Upgrade: "websocket" },
			});
			expect([token, response.status]).toEqual([token, 401]);
			expect(((await response.json()) as { error: { code: string } }).error.code).toBe("InvalidAuthenticationToken");
			expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
		}
		const plain = await exports.default.fetch(`${LIVE}?access_token=t`);
		expect(plain.status).toBe(426);
		expect(((await plain.json()) as { error: { code: string } }).error.code).toBe("UpgradeRequired");
	});
});
