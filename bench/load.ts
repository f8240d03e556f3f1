import autocannon from "autocannon";
import { cpuShares, cpuSnapshot } from "./cpu.ts";

export type Scenario = {
	name: string;
	method: "GET" | "POST";
	/** The path of each request; called once per request, so it can spread load over calls. */
	path: () => string;
	body?: string;
	headers?: Record<string, string>;
	expectedStatus: number;
};

export type Measured = {
	scenario: string;
	requestsPerSecond: number;
	p50: number;
	p99: number;
	max: number;
	errors: number;
	/** Answers whose status was not the expected one. */
	unexpected: number;
	total: number;
	/** Share of the machine's CPU used by this process and workerd, and by every other process. */
	cpu: { own: number; others: number; workerdUsPerRequest: number } | undefined;
	/** Seconds into the run at which answers slower than SLOW_MS arrived, and how many in each second. */
	slowBySecond: Record<number, number>;
	/** How long the load ran, and every answer's time (ms): slices of one scenario combine exactly. */
	seconds: number;
	latencies: number[];
};

export const SLOW_MS = 250;

/** One bounded autocannon run against `base` (loopback only): `seconds` long, `connections` wide. */
export async function measure(
	base: string,
	scenario: Scenario,
	seconds: number,
	connections: number,
): Promise<Measured> {
	const url = new URL(base);
	if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) throw new Error(`refusing to load ${url.hostname}`);
	let unexpected = 0;
	const latencies: number[] = [];
	const slowBySecond: Record<number, number> = {};
	const started = Date.now();
	const before = cpuSnapshot();
	let instance: autocannon.Instance | undefined;
	const finished = new Promise<autocannon.Result>((resolve, reject) => {
		instance = autocannon(
			{
				url: base,
				connections,
				duration: seconds,
				requests: [
					{
						method: scenario.method,
						headers: { Authorization: "Bearer bench-token", ...scenario.headers },
						body: scenario.body,
						setupRequest: (request) => ({ ...request, path: scenario.path() }),
					},
				],
			},
			(error, result) => (error ? reject(error) : resolve(result)),
		);
	});
	instance?.on("response", (_client, status, _bytes, responseTime) => {
		if (status !== scenario.expectedStatus) unexpected++;
		latencies.push(responseTime);
		if (responseTime > SLOW_MS) {
			const second = Math.floor((Date.now() - started) / 1000);
			slowBySecond[second] = (slowBySecond[second] ?? 0) + 1;
		}
	});
	const result = await finished;
	return {
		scenario: scenario.name,
		requestsPerSecond: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		max: result.latency.max,
		errors: result.errors + result.timeouts,
		unexpected,
		total: result.requests.total,
		cpu: cpuShares(before, cpuSnapshot(), result.requests.total),
		slowBySecond,
		seconds,
		latencies,
	};
}

const percentile = (sorted: Float64Array, p: number) =>
	sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0) : 0;

/**
 * One scenario measured in slices (interleaved with its baseline's, so drift of a shared machine falls on
 * both alike) as if it were one run: req/s over the whole time, percentiles over every answer.
 */
export function combine(slices: Measured[]): Measured {
	const first = slices[0];
	if (!first) throw new Error("nothing measured");
	const sum = (of: (m: Measured) => number) => slices.reduce((total, m) => total + of(m), 0);
	const seconds = sum((m) => m.seconds);
	const total = sum((m) => m.total);
	const latencies = slices.flatMap((m) => m.latencies);
	const sorted = Float64Array.from(latencies).sort();
	const measuredCpu = slices.every((m) => m.cpu) ? slices.map((m) => m.cpu as NonNullable<Measured["cpu"]>) : [];
	const slowBySecond: Record<number, number> = {};
	let offset = 0;
	for (const slice of slices) {
		for (const [second, count] of Object.entries(slice.slowBySecond))
			slowBySecond[offset + Number(second)] = (slowBySecond[offset + Number(second)] ?? 0) + count;
		offset += slice.seconds;
	}
	return {
		scenario: first.scenario,
		requestsPerSecond: total / seconds,
		p50: percentile(sorted, 50),
		p99: percentile(sorted, 99),
		max: Math.max(...slices.map((m) => m.max)),
		errors: sum((m) => m.errors),
		unexpected: sum((m) => m.unexpected),
		total,
		cpu: measuredCpu.length
			? {
					own: measuredCpu.reduce((t, c, i) => t + c.own * (slices[i]?.seconds ?? 0), 0) / seconds,
					others: measuredCpu.reduce((t, c, i) => t + c.others * (slices[i]?.seconds ?? 0), 0) / seconds,
					workerdUsPerRequest:
						measuredCpu.reduce((t, c, i) => t + c.workerdUsPerRequest * (slices[i]?.total ?? 0), 0) / total,
				}
			: undefined,
		slowBySecond,
		seconds,
		latencies,
	};
}

/** The mean of `x-stub-rows-written` over `count` requests sent one by one (after the load, same paths). */
export async function rowsWritten(base: string, scenario: Scenario, count = 20): Promise<number | undefined> {
	let sum = 0;
	for (let i = 0; i < count; i++) {
		const response = await fetch(new URL(scenario.path(), base), {
			method: scenario.method,
			headers: { Authorization: "Bearer bench-token", ...scenario.headers },
			body: scenario.body,
		});
		await response.arrayBuffer();
		const header = response.headers.get("x-stub-rows-written");
		if (header === null) return undefined;
		sum += Number(header);
	}
	return sum / count;
}
