import { describe, expect, it } from "vitest";
import { combine, type Measured } from "../../bench/load.ts";

const slice = (over: Partial<Measured>): Measured => ({
	scenario: "s",
	requestsPerSecond: 0,
	p50: 0,
	p99: 0,
	max: 0,
	errors: 0,
	unexpected: 0,
	total: 0,
	cpu: undefined,
	slowBySecond: {},
	seconds: 1,
	latencies: [],
	...over,
});

// npm run bench measures each scenario in turns; the turns must add up to what one run would have shown.
describe("combining a scenario's turns", () => {
	it("gives req/s over the whole time and percentiles over every answer, not averages of the turns'", () => {
		const fast = slice({ seconds: 2, total: 300, latencies: Array.from({ length: 300 }, () => 2), max: 2 });
		const slow = slice({ seconds: 1, total: 100, latencies: Array.from({ length: 100 }, (_, i) => 100 + i), max: 199 });
		const whole = combine([fast, slow]);
		expect(whole.requestsPerSecond).toBeCloseTo(400 / 3);
		expect(whole.p50).toBe(2);
		expect(whole.p99).toBe(196); // the 396th of 400 sorted answers
		expect(whole.max).toBe(199);
		expect(whole.total).toBe(400);
	});

	it("weighs CPU per request by requests and CPU shares by time; places slow seconds after the earlier turns", () => {
		const a = slice({
			seconds: 2,
			total: 100,
			cpu: { own: 0.5, others: 0.1, workerdUsPerRequest: 100 },
			slowBySecond: { 1: 3 },
		});
		const b = slice({
			seconds: 2,
			total: 300,
			cpu: { own: 0.3, others: 0, workerdUsPerRequest: 200 },
			slowBySecond: { 0: 2, 1: 1 },
		});
		const whole = combine([a, b]);
		expect(whole.cpu?.workerdUsPerRequest).toBeCloseTo(175);
		expect(whole.cpu?.own).toBeCloseTo(0.4);
		expect(whole.cpu?.others).toBeCloseTo(0.05);
		expect(whole.slowBySecond).toEqual({ 1: 3, 2: 2, 3: 1 });
	});

	it("leaves CPU out when a turn could not measure it", () => {
		const whole = combine([
			slice({ total: 1, cpu: { own: 1, others: 0, workerdUsPerRequest: 1 } }),
			slice({ total: 1 }),
		]);
		expect(whole.cpu).toBeUndefined();
	});
});
