import { describe, expect, it } from "vitest";
import { decideFaults } from "../../src/objects/simulation/fault-decision";
import type { FaultPlan } from "../../src/schema/fault-plan";
import { create, errorOf, json, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";
import { callStub, putCallConfig } from "./helpers";

const TOKEN = "sim-token";
const journalOf = async (callId: string) =>
	(
		(await (await send("GET", `${ORIGIN}/_stub/calls/${callId}/journal`, undefined, { token: TOKEN })).json()) as {
			value: { kind: string; route: string; earlyMs?: number; latencyMs?: number }[];
		}
	).value;

describe("fault plans", () => {
	it("fails the 3rd create of a call with 503 and Retry-After; the faulted request stores nothing", async () => {
		const callId = uniqueCallId("faults");
		await putCallConfig(callId, {
			faults: { rules: [{ route: "create", nth: 3, status: 503, retryAfterSeconds: 2 }] },
		});
		const statuses: number[] = [];
		for (let i = 1; i <= 4; i++) {
			const response = await create(callId, { id: `op-${i}` }, { token: TOKEN });
			statuses.push(response.status);
			if (response.status === 503) {
				expect(response.headers.get("Retry-After")).toBe("2");
				expect((await errorOf(response)).error.code).toBe("ServiceUnavailable");
			}
		}
		expect(statuses).toEqual([201, 201, 503, 201]);
		const list = await json(await send("GET", operationsUrl(callId), undefined, { token: TOKEN }));
		expect((list.value as { id: string }[]).map((op) => op.id)).toEqual(["op-1", "op-2", "op-4"]);
		const stored = await (await callStub(callId)).getOperation("op-4");
		expect(stored.ok && stored.value.seq).toBe(3);
	});

	it("throttles reads with 429 TooManyRequests, and 500 has no Retry-After", async () => {
		const callId = uniqueCallId("faults");
		await create(callId, { id: "x" }, { token: TOKEN });
		await putCallConfig(callId, {
			faults: {
				rules: [
					{ route: "get", nth: [1], status: 429, retryAfterSeconds: 0 },
					{ route: "list", status: 500 },
				],
			},
		});
		const throttled = await send("GET", `${operationsUrl(callId)}/x`, undefined, { token: TOKEN });
		expect([throttled.status, throttled.headers.get("Retry-After")]).toEqual([429, "0"]);
		expect((await errorOf(throttled)).error.code).toBe("TooManyRequests");
		expect((await send("GET", `${operationsUrl(callId)}/x`, undefined, { token: TOKEN })).status).toBe(200);
		const broken = await send("GET", operationsUrl(callId), undefined, { token: TOKEN });
		expect([broken.status, broken.headers.get("Retry-After")]).toEqual([500, null]);
		expect((await errorOf(broken)).error.code).toBe("UnknownError");
	});

	it("records a request that came back before its Retry-After as a violation", async () => {
		const callId = uniqueCallId("faults");
		await putCallConfig(callId, {
			faults: { rules: [{ route: "create", nth: 1, status: 429, retryAfterSeconds: 60 }] },
		});
		expect((await create(callId, {}, { token: TOKEN })).status).toBe(429);
		expect((await create(callId, {}, { token: TOKEN })).status).toBe(201);
		const journal = await journalOf(callId);
		expect(journal.map((entry) => [entry.kind, entry.route])).toEqual([
			["fault", "create"],
			["violation", "create"],
		]);
		expect(journal[1]?.earlyMs).toBeGreaterThan(50_000);
	});

	it("adds latency without failing the request, and journals it", async () => {
		const callId = uniqueCallId("faults");
		await putCallConfig(callId, { faults: { rules: [{ route: "create", latencyMs: { min: 5, max: 10 } }] } });
		const stub = await callStub(callId);
		const outcome = await stub.createOperation({ typeName: "commsOperation", id: "slow", propertiesJson: "{}" });
		expect(outcome.ok).toBe(true);
		expect(outcome.delayMs).toBeGreaterThanOrEqual(5);
		expect(outcome.delayMs).toBeLessThanOrEqual(10);
		expect((await create(callId, {}, { token: TOKEN })).status).toBe(201);
		expect((await journalOf(callId)).filter((entry) => entry.latencyMs !== undefined)).toHaveLength(2);
	});

	it("gives the same faults for the same seed and request order, and others for another seed", () => {
		const plan = (seed: number): FaultPlan => ({ seed, rules: [{ route: "any", probability: 0.3, status: 503 }] });
		const run = (seed: number) => {
			const matched: number[] = [];
			return Array.from({ length: 200 }, () => (decideFaults(plan(seed), "create", matched).fault ? 1 : 0));
		};
		expect(run(42)).toEqual(run(42));
		expect(run(42)).not.toEqual(run(43));
		const rate = run(42).reduce((a: number, b) => a + b, 0) / 200;
		expect(rate).toBeGreaterThan(0.15);
		expect(rate).toBeLessThan(0.45);
	});

	it("replays the same faults over HTTP after the plan is set again", async () => {
		const rules = { seed: 7, rules: [{ route: "create", probability: 0.5, status: 503 }] };
		const outcomes = async () => {
			const callId = uniqueCallId("replay");
			await putCallConfig(callId, { faults: rules });
			const statuses: number[] = [];
			for (let i = 0; i < 12; i++) statuses.push((await create(callId, {}, { token: TOKEN })).status);
			return statuses;
		};
		const first = await outcomes();
		expect(first).toContain(503);
		expect(first).toContain(201);
		expect(await outcomes()).toEqual(first);
	});
});

describe("fault counts", () => {
	it("survive an eviction of the call's object: the nth request is counted across it", async () => {
		const { evictDurableObject } = await import("cloudflare:test");
		const callId = uniqueCallId("evict");
		await putCallConfig(callId, { faults: { rules: [{ route: "create", nth: 2, status: 503 }] } });
		expect((await create(callId, {}, { token: TOKEN })).status).toBe(201);
		await evictDurableObject(await callStub(callId));
		expect((await create(callId, {}, { token: TOKEN })).status).toBe(503);
	});

	it("of a namespace plan are kept across evictions too, and restart when the plan changes", async () => {
		const { evictDurableObject } = await import("cloudflare:test");
		const token = `ns-faults-${uniqueCallId()}`;
		const callId = uniqueCallId("ns-evict");
		const plan = { faults: { rules: [{ route: "create", nth: 2, status: 503 }] } };
		await send("PUT", `${ORIGIN}/_stub/config`, plan, { token });
		expect((await create(callId, {}, { token })).status).toBe(201);
		await evictDurableObject(await callStub(callId, token));
		expect((await create(callId, {}, { token })).status).toBe(503);
		await send(
			"PUT",
			`${ORIGIN}/_stub/config`,
			{ faults: { rules: [{ route: "create", nth: 1, status: 429 }] } },
			{ token },
		);
		expect((await create(callId, {}, { token })).status).toBe(429);
	});
});
