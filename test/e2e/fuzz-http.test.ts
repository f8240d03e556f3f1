import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FuzzRequest, fuzzRequest, wireBytes } from "./helpers/fuzz-requests.ts";
import { type RawResponse, sendRaw } from "./helpers/raw-socket.ts";
import { type RunningStub, startStub } from "./helpers/stub.ts";

// Random bodies, framings, paths, query strings, headers and configurations, sent byte for byte to the
// served Worker over loopback. Whatever comes in: never a 5xx, never a stack trace, and every error the
// Worker answers is Graph's envelope. (Generators and what they leave out: helpers/fuzz-requests.ts.)
//
// Seeded and bounded: each run takes a fresh seed, which fast-check prints on failure; replay one with
// FUZZ_SEED=<seed> (and FUZZ_PATH=<path> to go straight to the shrunk case), widen with FUZZ_RUNS=<n>.

const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const replayPath = process.env.FUZZ_PATH;
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

let stub: RunningStub;
let port: number;
let host: string;
beforeAll(async () => {
	stub = await startStub({ https: undefined }); // raw bytes on the plain socket (the https run pipes the same bytes)
	port = Number(new URL(stub.base).port);
	host = `127.0.0.1:${port}`;
});
afterAll(() => stub?.dispose());

const STACK_TRACE = /\n\s+at \S|file:\/\/|\.(js|ts|mjs):\d+:\d+/;
const GRAPH_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;
/** Methods workerd's HTTP parser knows; others (`Post`, `X-ODD`) it answers 501 itself. */
const RUNTIME_METHODS = new Set(
	"GET HEAD POST PUT DELETE PATCH PURGE OPTIONS TRACE COPY LOCK MKCOL MOVE PROPFIND PROPPATCH SEARCH UNLOCK ACL REPORT MKACTIVITY CHECKOUT MERGE M-SEARCH NOTIFY SUBSCRIBE UNSUBSCRIBE".split(
		" ",
	),
);

/** What `sent` must get back, or a reason it did not. */
function check(sent: FuzzRequest, response: RawResponse): string | undefined {
	if (response.status === 0) return `no HTTP response (got ${JSON.stringify(response.raw.slice(0, 200))})`;
	if (STACK_TRACE.test(response.raw)) return `leaked a stack trace: ${response.raw.slice(0, 400)}`;
	const requestId = response.headers["request-id"];
	// Without request-id the runtime's HTTP parser answered before the Worker ran: a plain 4xx for a
	// malformed or oversized request (400, 414, 431), or 501 for a method name it does not know (HTTP's
	// answer; method names are case-sensitive).
	if (requestId === undefined) {
		if (response.status >= 400 && response.status < 500) return undefined;
		if (response.status === 501 && !RUNTIME_METHODS.has(sent.method)) return undefined;
		return `runtime answered ${response.status}: ${response.body.slice(0, 200)}`;
	}
	if (response.status >= 500) return `answered ${response.status}: ${response.body.slice(0, 300)}`;
	if (response.status < 400 || sent.method === "HEAD") return undefined;
	let envelope: unknown;
	try {
		envelope = JSON.parse(response.body);
	} catch {
		return `error body is not JSON: ${response.body.slice(0, 200)}`;
	}
	const error = (envelope as { error?: Record<string, unknown> }).error;
	const inner = error?.innerError as Record<string, unknown> | undefined;
	if (typeof error?.code !== "string" || typeof error.message !== "string" || !inner)
		return `not Graph's envelope: ${response.body.slice(0, 300)}`;
	if (typeof inner.date !== "string" || !GRAPH_DATE.test(inner.date)) return `bad innerError.date ${inner.date}`;
	if (inner["request-id"] !== requestId) return "innerError.request-id differs from the request-id header";
	if (typeof inner["client-request-id"] !== "string") return "innerError.client-request-id missing";
	if (response.status === 401 && response.headers["www-authenticate"] !== "Bearer")
		return "401 without WWW-Authenticate";
	if (response.status === 429 && response.headers["retry-after"] === undefined) return "429 without Retry-After";
	return undefined;
}

const describeRequest = (request: FuzzRequest) =>
	`${request.method} ${request.path}${request.query.length ? `?${request.query.map((q) => q.join("=")).join("&")}` : ""}` +
	` [${request.framing}] ${JSON.stringify(request.headers)} ${request.body?.slice(0, 200) ?? "(no body)"}`;

describe("HTTP fuzz: every route, any input", () => {
	it("never answers 5xx and always answers errors with Graph's envelope", async () => {
		const statuses = new Map<number, number>();
		await fc.assert(
			fc.asyncProperty(fc.array(fuzzRequest, { minLength: 1, maxLength: 4 }), async (requests) => {
				for (const request of requests) {
					const response = await sendRaw(port, wireBytes(request, host));
					statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
					const problem = check(request, response);
					if (problem) throw new Error(`${problem}\n  request: ${describeRequest(request)}`);
				}
			}),
			{
				numRuns: RUNS,
				seed,
				path: replayPath,
				// A short report: the replay line and the first failure (bodies can be 70 KB of nesting).
				reporter: (run) => {
					if (!run.failed) return;
					const cause = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
					throw new Error(
						`HTTP fuzz failed after ${run.numRuns} runs; replay: FUZZ_SEED=${run.seed} FUZZ_PATH=${run.counterexamplePath}\n${cause.slice(0, 3000)}`,
					);
				},
			},
		);
		if (process.env.FUZZ_VERBOSE) console.log("statuses", Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
		// The generators must reach the stub's real behaviour, not only its refusals.
		const seen = (predicate: (status: number) => boolean) =>
			[...statuses].filter(([status]) => predicate(status)).reduce((sum, [, count]) => sum + count, 0);
		expect(seen((status) => status >= 200 && status < 300)).toBeGreaterThan(0);
		expect(seen((status) => status === 400)).toBeGreaterThan(0);
		expect(seen((status) => status === 404)).toBeGreaterThan(0);
	});
});
