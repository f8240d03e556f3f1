import type { FaultPlan, FaultRoute } from "../../schema/fault-plan";

export type Fault = { status: 429 | 500 | 503; retryAfterSeconds: number | undefined };
export type FaultDecision = { fault: Fault | undefined; delayMs: number; firedRules: number[] };

/** mulberry32: a tiny PRNG, so the same seed and the same request order give the same faults. */
function random(seed: number, rule: number, match: number): number {
	let t = (seed ^ Math.imul(rule + 1, 0x9e3779b1) ^ Math.imul(match, 0x85ebca6b)) >>> 0;
	t = (t + 0x6d2b79f5) >>> 0;
	let r = Math.imul(t ^ (t >>> 15), 1 | t);
	r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
	return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
}

/**
 * Decides the faults for one request on `route`, given how many earlier requests each rule matched
 * (`matched`, updated in place). Every rule matching the route counts the request, whatever the rules
 * before it did; of the rules that fire, the latencies add up and the first error in plan order
 * answers. Pure apart from that: no clock, no global randomness.
 */
export function decideFaults(plan: FaultPlan, route: FaultRoute, matched: number[]): FaultDecision {
	let delayMs = 0;
	let fault: Fault | undefined;
	const firedRules: number[] = [];
	for (const [index, rule] of plan.rules.entries()) {
		if (rule.route !== "any" && rule.route !== route) continue;
		const match = (matched[index] ?? 0) + 1;
		matched[index] = match;
		const nth = rule.nth === undefined ? undefined : Array.isArray(rule.nth) ? rule.nth : [rule.nth];
		const fires = nth
			? nth.includes(match)
			: rule.probability === undefined || random(plan.seed, index, match) < rule.probability;
		if (!fires) continue;
		firedRules.push(index);
		if (rule.latencyMs !== undefined) {
			const { min, max } =
				typeof rule.latencyMs === "number" ? { min: rule.latencyMs, max: rule.latencyMs } : rule.latencyMs;
			delayMs += Math.round(min + (Math.max(max, min) - min) * random(plan.seed ^ 0x5bd1e995, index, match));
		} else if (rule.status !== undefined && fault === undefined) {
			fault = {
				status: rule.status,
				retryAfterSeconds: rule.status === 500 ? undefined : (rule.retryAfterSeconds ?? 1),
			};
		}
	}
	return { fault, delayMs, firedRules };
}
