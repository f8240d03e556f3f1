import { describe, expect, it } from "vitest";
import { decideFaults } from "../../src/objects/simulation/fault-decision";
import type { FaultPlan, FaultRoute } from "../../src/schema/fault-plan";
import { create, uniqueCallId } from "../helpers/graph";
import { putCallConfig } from "./helpers";

const TOKEN = "sim-token";

/** The status each of `routes` gets in turn (200 where no error fires), and the latency added to each. */
function replay(plan: FaultPlan, routes: FaultRoute[]) {
	const matched: number[] = [];
	return routes.map((route) => {
		const { fault, delayMs } = decideFaults(plan, route, matched);
		return { status: fault?.status ?? 200, delayMs };
	});
}

describe("each fault rule counts every request it matches", () => {
	it("counts a rule's matches even on requests an earlier rule failed", () => {
		const plan: FaultPlan = {
			seed: 1,
			rules: [
				{ route: "create", nth: 1, status: 503 },
				{ route: "create", nth: 2, status: 429 },
			],
		};
		const creates: FaultRoute[] = ["create", "create", "create", "create"];
		expect(replay(plan, creates).map((r) => r.status)).toEqual([503, 429, 200, 200]);
	});

	it("answers with the first error in plan order when two fire on one request, and adds every latency", () => {
		const plan: FaultPlan = {
			seed: 1,
			rules: [
				{ route: "any", nth: 2, status: 500 },
				{ route: "create", nth: [1, 2], status: 503 },
				{ route: "create", latencyMs: 7 },
			],
		};
		expect(replay(plan, ["create", "create", "create"])).toEqual([
			{ status: 503, delayMs: 7 },
			{ status: 500, delayMs: 7 },
			{ status: 200, delayMs: 7 },
		]);
	});

	it("keeps each rule's count to the requests of its own route, counted on every request", () => {
		const plan: FaultPlan = {
			seed: 1,
			rules: [
				{ route: "get", nth: 2, status: 503 },
				{ route: "any", nth: 3, status: 429 },
			],
		};
		// The third request is the get rule's second match and the any rule's third: both fire, the first answers.
		expect(replay(plan, ["create", "get", "get", "get"]).map((r) => r.status)).toEqual([200, 200, 503, 200]);
	});

	it("draws probabilities from the seed alone: the same seed and order give the same faults", () => {
		const plan = (seed: number): FaultPlan => ({
			seed,
			rules: [
				{ route: "create", probability: 0.5, status: 503 },
				{ route: "any", probability: 0.5, status: 429 },
				{ route: "any", probability: 0.5, latencyMs: { min: 0, max: 100 } },
			],
		});
		const routes: FaultRoute[] = Array.from({ length: 100 }, (_, i) => (i % 3 ? "create" : "get"));
		const first = replay(plan(9), routes);
		expect(replay(plan(9), routes)).toEqual(first);
		expect(replay(plan(10), routes)).not.toEqual(first);
		const statuses = new Set(first.map((r) => r.status));
		expect(statuses).toEqual(new Set([200, 429, 503]));
	});

	it("over HTTP: nth 1 → 503 and nth 2 → 429 give 503, 429, 201, 201", async () => {
		const callId = uniqueCallId("counting");
		await putCallConfig(callId, {
			faults: {
				rules: [
					{ route: "create", nth: 1, status: 503 },
					{ route: "create", nth: 2, status: 429, retryAfterSeconds: 0 },
				],
			},
		});
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await create(callId, {}, { token: TOKEN })).status);
		expect(statuses).toEqual([503, 429, 201, 201]);
	});
});
