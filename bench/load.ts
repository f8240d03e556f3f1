import autocannon from "autocannon";

export type Scenario = {
	name: string;
	method: "GET" | "POST";
	/** The path of each request; called once per request, so it can spread load over calls. */
	path: () => string;
	body?: string;
	headers?: Record<string, string>;
};

export type Measured = {
	scenario: string;
	requestsPerSecond: number;
	p50: number;
	p99: number;
	errors: number;
	non2xx: number;
	total: number;
};

/** One bounded autocannon run against `base` (loopback only): `seconds` long, `connections` wide. */
export async function measure(
	base: string,
	scenario: Scenario,
	seconds: number,
	connections: number,
): Promise<Measured> {
	const url = new URL(base);
	if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) throw new Error(`refusing to load ${url.hostname}`);
	const result = await autocannon({
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
	});
	return {
		scenario: scenario.name,
		requestsPerSecond: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		errors: result.errors,
		non2xx: result.non2xx,
		total: result.requests.total,
	};
}
