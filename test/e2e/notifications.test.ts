import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Received, startReceiver } from "../receiver/notification-receiver.ts";
import { operationsUrl, postJson, startStub, tempStateDir } from "./helpers/stub.ts";

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(() => new Promise<void>((resolve) => receiver?.server.close(() => resolve())));

/** Waits (bounded) until `path` has received `count` distinct notifications; returns them deduplicated. */
async function distinctNotifications(path: string, count: number, timeoutMs = 20_000): Promise<Received[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const seen = new Map<string, Received>();
		for (const r of receiver.received.get(path) ?? []) seen.set(r.headers["x-stub-notification-sequence"] ?? "", r);
		if (seen.size >= count || Date.now() > deadline) return [...seen.values()];
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe("simulated calling flow, end to end", () => {
	it("notifies a real receiver of 3 operations' progress in order, across a restart in the middle", async () => {
		const stateDir = await tempStateDir();
		const hook = "/api/calling";
		let stub = await startStub({ stateDir });
		const config = await fetch(`${stub.base}/_stub/calls/e2e-call/config`, {
			method: "PUT",
			headers: { Authorization: "Bearer e2e-token", "Content-Type": "application/json" },
			body: JSON.stringify({
				callbackUri: `${receiver.url}${hook}`,
				callbackToken: "bot-token",
				progression: {
					default: [
						{ status: "Running", afterMs: 300 },
						{ status: "Completed", afterMs: 1200, resultInfo: { code: 200, subcode: 0, message: "ok" } },
					],
				},
			}),
		});
		expect(config.status).toBe(200);
		for (const id of ["op-1", "op-2", "op-3"])
			expect((await postJson(operationsUrl(stub.base, "e2e-call"), { id })).status).toBe(201);

		// Restart once the first notifications have arrived and the rest are still scheduled.
		expect((await distinctNotifications(hook, 1)).length).toBeGreaterThanOrEqual(1);
		await stub.dispose();
		stub = await startStub({ stateDir });
		try {
			const received = await distinctNotifications(hook, 6);
			const sequences = received.map((r) => Number(r.headers["x-stub-notification-sequence"]));
			expect(sequences).toEqual([1, 2, 3, 4, 5, 6]);
			const seen = received.map((r) => {
				const { value } = JSON.parse(r.body) as {
					value: { changeType: string; resourceUrl: string; resourceData: { id: string; status: string } }[];
				};
				const [n] = value;
				return `${n?.resourceData.id} ${n?.resourceData.status} ${n?.changeType}`;
			});
			expect(seen).toEqual([
				"op-1 running updated",
				"op-2 running updated",
				"op-3 running updated",
				"op-1 completed deleted",
				"op-2 completed deleted",
				"op-3 completed deleted",
			]);
			expect(received.every((r) => r.headers.authorization === "Bearer bot-token")).toBe(true);
			const final = await fetch(operationsUrl(stub.base, "e2e-call"), {
				headers: { Authorization: "Bearer e2e-token" },
			});
			const ops = ((await final.json()) as { value: { status: string }[] }).value;
			expect(ops.map((op) => op.status)).toEqual(["Completed", "Completed", "Completed"]);
		} finally {
			await stub.dispose();
		}
	});
});

describe("a callback that does not answer", () => {
	it("is given up after DELIVERY_TIMEOUT_MS and retried; the journal says why", async () => {
		const hook = "/api/slow";
		await fetch(`${receiver.url}/_control${hook}`, {
			method: "POST",
			body: JSON.stringify({ failFirst: 1, status: 202, hangMs: 3_000 }),
		});
		const stub = await startStub({ vars: { DELIVERY_TIMEOUT_MS: "300", DELIVERY_BACKOFF_BASE_MS: "50" } });
		try {
			const headers = { Authorization: "Bearer e2e-token", "Content-Type": "application/json" };
			await fetch(`${stub.base}/_stub/calls/slow-call/config`, {
				method: "PUT",
				headers,
				body: JSON.stringify({
					callbackUri: `${receiver.url}${hook}`,
					progression: { default: [{ status: "Running", afterMs: 0 }] },
				}),
			});
			await postJson(operationsUrl(stub.base, "slow-call"), { id: "op" });
			type Journal = { value: { state: string; attempts: { error: string | null; status: number | null }[] }[] };
			let journal: Journal = { value: [] };
			for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
				journal = (await (
					await fetch(`${stub.base}/_stub/calls/slow-call/notifications`, { headers })
				).json()) as Journal;
				if (journal.value[0]?.state === "delivered") break;
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			expect(journal.value[0]?.state).toBe("delivered");
			expect(journal.value[0]?.attempts[0]).toEqual(
				expect.objectContaining({ status: null, error: "no answer within 300 ms" }),
			);
			expect(journal.value[0]?.attempts.at(-1)?.status).toBe(202);
		} finally {
			await stub.dispose();
		}
	});
});
