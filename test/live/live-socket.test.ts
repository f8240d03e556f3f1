import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Timeline } from "../../src/objects/timeline/timeline";
import { configure, createCall, newTester } from "../calls/helpers";
import { ORIGIN, operationsUrl, send } from "../helpers/graph";

// GET /_stub/calls/{id}/live: the call object's hibernatable WebSocket pushes the whole timeline.

async function connect(callId: string, token: string) {
	const response = await exports.default.fetch(`${ORIGIN}/_stub/calls/${callId}/live?access_token=${token}`, {
		headers: { Upgrade: "websocket" },
	});
	expect(response.status).toBe(101);
	const socket = response.webSocket;
	if (!socket) throw new Error("no WebSocket");
	const received: Timeline[] = [];
	let wake: (() => void) | undefined;
	socket.addEventListener("message", (event) => {
		received.push(JSON.parse(String(event.data)) as Timeline);
		wake?.();
	});
	socket.accept();
	/** The next timeline that satisfies `test` (bounded by the test's own timeout). */
	const next = async (test: (timeline: Timeline) => boolean) => {
		for (;;) {
			const found = received.find(test);
			if (found) return found;
			await new Promise<void>((resolve) => {
				wake = resolve;
			});
		}
	};
	return { socket, next };
}

describe("the live timeline socket", () => {
	it("sends the timeline at once, then pushes each request as it is answered", async () => {
		const callId = "live-ops";
		const token = "live-token";
		const live = await connect(callId, token);
		await live.next((t) => !t.exists && t.callId === callId);
		expect((await send("POST", operationsUrl(callId), {}, { token })).status).toBe(201);
		const after = await live.next((t) => t.exists && t.operations.length === 1);
		expect(after.requests.map((r) => `${r.route} ${r.outcome}`)).toContain("createOperation ok");
		expect((await send("GET", `${operationsUrl(callId)}/nope`, undefined, { token })).status).toBe(404);
		const missing = await live.next((t) => t.requests.length === 2);
		expect(missing.requests[1]).toMatchObject({ route: "getOperation", outcome: "operationNotFound", status: 404 });
		live.socket.close();
	});

	it("pushes an injected fault and a Retry-After violation as they happen", async () => {
		const callId = "live-faults";
		const token = "live-fault-token";
		const config = await send(
			"PUT",
			`${ORIGIN}/_stub/calls/${callId}/config`,
			{ faults: { rules: [{ route: "create", nth: 1, status: 429, retryAfterSeconds: 60 }] } },
			{ token },
		);
		expect(config.status).toBe(200);
		const live = await connect(callId, token);
		expect((await send("POST", operationsUrl(callId), {}, { token })).status).toBe(429);
		const faulted = await live.next((t) => t.requests.length === 1);
		expect(faulted.requests[0]).toMatchObject({
			route: "createOperation",
			outcome: "fault",
			faultStatus: 429,
			status: 429,
		});
		expect(faulted.journal.map((entry) => entry.kind)).toEqual(["fault"]);
		expect((await send("POST", operationsUrl(callId), {}, { token })).status).toBe(201);
		const violated = await live.next((t) => t.journal.length === 2);
		expect(violated.journal.map((entry) => `${entry.kind} ${entry.route}`)).toEqual([
			"fault create",
			"violation create",
		]);
		live.socket.close();
	});

	it("shows a call resource's state and participants", async () => {
		const tester = newTester("live");
		await configure(tester);
		const call = await createCall(tester);
		const live = await connect(call.id, tester.token);
		const seen = await live.next((t) => t.exists);
		expect(seen.call).toEqual({ state: "establishing", direction: "outgoing" });
		expect(seen.participants.length).toBeGreaterThanOrEqual(2);
		live.socket.close();
	});

	it("shows nothing of another namespace: the same callId under another token is no call", async () => {
		const callId = "live-private";
		expect((await send("POST", operationsUrl(callId), {}, { token: "owner-token" })).status).toBe(201);
		const stranger = await connect(callId, "stranger-token");
		const seen = await stranger.next(() => true);
		expect(seen).toMatchObject({ exists: false, operations: [], requests: [], notifications: [] });
		stranger.socket.close();
	});

	it("refuses without a token (401) and without an upgrade (426), in Graph's envelope", async () => {
		const url = `${ORIGIN}/_stub/calls/x/live`;
		const anonymous = await exports.default.fetch(url, { headers: { Upgrade: "websocket" } });
		expect(anonymous.status).toBe(401);
		const plain = await exports.default.fetch(`${url}?access_token=t`);
		expect(plain.status).toBe(426);
		expect(((await plain.json()) as { error: { code: string } }).error.code).toBe("UpgradeRequired");
	});

	it("answers 401 for a query token no Authorization header could carry (control characters, spaces, unicode)", async () => {
		const url = `${ORIGIN}/_stub/calls/x/live`;
		for (const token of [
			"a%0Ab",
			"a%0Db",
			"a%00b",
			"%0A",
			"a%09b",
			"a%20b",
			"a%7Fb",
			"%C3%A9t%C3%A9",
			"%E2%82%AC",
			"%F0%9F%94%91",
		]) {
			const response = await exports.default.fetch(`${url}?access_token=${token}`, {
				headers: { Upgrade: "websocket" },
			});
			expect([token, response.status]).toEqual([token, 401]);
			const body = (await response.json()) as { error: { code: string } };
			expect(body.error.code).toBe("InvalidAuthenticationToken");
			expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
		}
	});
});
