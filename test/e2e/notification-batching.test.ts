import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Received, startReceiver } from "../receiver/notification-receiver.ts";
import { operationsUrl, postJson, startStub } from "./helpers/stub.ts";

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(() => new Promise<void>((resolve) => receiver?.server.close(() => resolve())));

type Items = { value: { changeType: string; resourceData: { id: string; status: string } }[] };

async function receivedItems(path: string, count: number, timeoutMs = 20_000): Promise<Received[]> {
	for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
		const received = receiver.received.get(path) ?? [];
		const items = received.reduce((n, r) => n + (JSON.parse(r.body) as Items).value.length, 0);
		if (items >= count) return received;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`fewer than ${count} notifications reached ${path}`);
}

describe("notification batching and headers, end to end", () => {
	it("posts the notifications that fall due together as one commsNotifications with several items, with the configured headers", async () => {
		const stub = await startStub();
		try {
			const hook = "/api/calling-batched";
			const config = await fetch(`${stub.base}/_stub/calls/batched-call/config`, {
				method: "PUT",
				headers: { Authorization: "Bearer e2e-token", "Content-Type": "application/json" },
				body: JSON.stringify({
					callbackUri: `${receiver.url}${hook}`,
					// Each operation's two steps fall due at the same moment: two notifications at once.
					progression: {
						default: [
							{ status: "Running", afterMs: 0 },
							{ status: "Completed", afterMs: 0, resultInfo: { code: 200, subcode: 0 } },
						],
					},
					notifications: { batch: true, maxItems: 5, userAgent: "contoso-filter/2.0" },
				}),
			});
			expect(config.status).toBe(200);
			for (const id of ["op-1", "op-2"])
				expect((await postJson(operationsUrl(stub.base, "batched-call"), { id })).status).toBe(201);

			const received = await receivedItems(hook, 4);
			const posts = received.map((r) => (JSON.parse(r.body) as Items).value);
			expect(posts.flat().map((item) => [item.resourceData.id, item.changeType, item.resourceData.status])).toEqual([
				["op-1", "updated", "running"],
				["op-1", "deleted", "completed"],
				["op-2", "updated", "running"],
				["op-2", "deleted", "completed"],
			]);
			// Each operation's pair fell due together, so no POST carries a lone notification.
			expect(posts.every((items) => items.length >= 2 && items.length <= 4)).toBe(true);
			expect(received[0]?.headers["x-stub-notification-sequence"]).toMatch(/^1,2(,3,4)?$/);
			for (const { headers } of received) {
				expect(headers["user-agent"]).toBe("contoso-filter/2.0");
				expect(headers["scenario-id"]).toMatch(/^[0-9a-f-]{36}$/);
				expect(headers["client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
				expect(headers["content-type"]).toBe("application/json");
			}

			const journal = (await (
				await fetch(`${stub.base}/_stub/calls/batched-call/notifications`, {
					headers: { Authorization: "Bearer e2e-token" },
				})
			).json()) as { value: { state: string; attempts: unknown[] }[] };
			expect(journal.value.map((n) => [n.state, n.attempts.length])).toEqual(Array(4).fill(["delivered", 1]));
		} finally {
			await stub.dispose();
		}
	});
});
