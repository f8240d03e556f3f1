import fc from "fast-check";

// Generators for the HTTP fuzz suite: whole requests, byte for byte, aimed at every route of the stub.
// Small pools of calls, ids and tokens make requests land on each other's state (a create, then a
// patch of the same id); the rest is as hostile as the wire allows.
//
// Left out on purpose: a garbage `Host` (test/e2e/front-door.test.ts covers it; here the request always
// carries the stub's own host) and `CONNECT`, which workerd answers with a plain 500 before any Worker
// code runs (no stack trace, nothing else).

export type FuzzRequest = {
	method: string;
	path: string;
	query: [string, string][];
	headers: [string, string][];
	body: string | undefined;
	framing: "length" | "chunked" | "none" | "short" | "bad-chunk";
	chunkSizes: number[];
};

const TYPES = [
	"#microsoft.graph.commsOperation",
	"#microsoft.graph.inviteParticipantsOperation",
	"#microsoft.graph.playPromptOperation",
	"#microsoft.graph.recordOperation",
	"#microsoft.graph.sendDtmfTonesOperation",
	"#microsoft.graph.muteParticipantsOperation",
	"microsoft.graph.startRecordingOperation",
	"#microsoft.graph.call",
	"#Microsoft.Graph.commsOperation",
	"",
];
const STATUSES = ["NotStarted", "running", "COMPLETED", "Failed", "unknownFutureValue", "Paused", ""];
const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "", "\u0000", "😀", "a.b"];
const DECLARED_KEYS = [
	"id",
	"status",
	"clientContext",
	"resultInfo",
	"participants",
	"completionReason",
	"recordingLocation",
	"@odata.type",
	"@odata.context",
	"createdDateTime",
];

export const CALL_IDS = ["fuzz-a", "fuzz-b", "__proto__", "ünï-çødé", "a%2Fb", "x".repeat(129)];
const OPERATION_IDS = ["op-1", "op-2", "__proto__", "constructor", "😀", "$count", "%24count", "op%20sp"];
/** Tokens: a few namespaces, plus missing, empty and non-Bearer credentials. */
const AUTHORIZATIONS = [
	"Bearer fuzz-1",
	"Bearer fuzz-2",
	"Bearer fuzz-1",
	"",
	"Bearer ",
	"Basic Zm9vOmJhcg==",
	"bearer fuzz-2",
];

const unicodeText = fc.string({ unit: "binary", maxLength: 24 });
const anyText = fc.oneof(unicodeText, fc.string({ unit: "grapheme", maxLength: 12 }), fc.constantFrom("x".repeat(300)));

/** Text that is (or is near) percent-encoded: good escapes, bad ones, raw unicode. */
const segmentText = fc.oneof(
	fc.constantFrom(...CALL_IDS, ...OPERATION_IDS, "%E0", "%", "%zz", "%C0%AF", "..", ".", "%00", "a%", "%FF%FE"),
	unicodeText.map(encodeURIComponent),
	fc.string({ unit: "binary-ascii", maxLength: 10 }).map((text) => text.replace(/[\s/?#]/g, "")),
);

const version = fc.constantFrom("beta", "v1.0", "beta", "v1.0", "v2.0", "BETA", "", "%62eta");

const graphPath = fc.oneof(
	fc.tuple(version, segmentText).map(([v, call]) => `/${v}/communications/calls/${call}/operations`),
	fc
		.tuple(version, segmentText, segmentText)
		.map(([v, call, op]) => `/${v}/communications/calls/${call}/operations/${op}`),
	fc.tuple(version, segmentText).map(([v, call]) => `/${v}/communications/calls/${call}/operations/$count`),
	fc.tuple(version, segmentText).map(([v, call]) => `/${v}/communications/calls/${call}/operations/`),
);
const stubPath = fc.oneof(
	fc.constantFrom("/_stub/health", "/_stub/config", "/_stub/calls", "/_stub/openapi.json", "/_stub/"),
	segmentText.map((call) => `/_stub/calls/${call}`),
	fc
		.tuple(segmentText, fc.constantFrom("config", "notifications", "journal", "live", "other", ""))
		.map(([call, leaf]) => `/_stub/calls/${call}/${leaf}`),
);
const junkPath = fc.oneof(
	fc.constantFrom("/", "//", "/beta", "/beta/communications", "/v1.0/communications/calls", "/%", "/a/../_stub/health"),
	fc.array(segmentText, { maxLength: 6 }).map((segments) => `/${segments.join("/")}`),
);
const path = fc.oneof(
	{ weight: 5, arbitrary: graphPath },
	{ weight: 3, arbitrary: stubPath },
	{ weight: 1, arbitrary: junkPath },
);

const queryName = fc.oneof(
	fc.constantFrom("$top", "$TOP", "top", "$count", "count", "$skiptoken", "$skipToken", "$filter", "filter"),
	fc.constantFrom("$select", "select", "$orderby", "$expand", "$", "__proto__", "tracking", "%24top", "%zz"),
	fc.constantFrom("access_token", "ACCESS_TOKEN", "access%5Ftoken"),
	fc.string({ unit: "binary-ascii", maxLength: 6 }).map((text) => text.replace(/[\s&=#]/g, "")),
);
const queryValue = fc.oneof(
	fc.constantFrom("1", "0", "999", "1000", "-1", "true", "false", "TRUE", "", "%", "%E0", "abc", "1.5"),
	fc.constantFrom("q".repeat(5_000), "q".repeat(70_000)),
	unicodeText.map(encodeURIComponent),
	fc.string({ unit: "binary-ascii", maxLength: 8 }).map((text) => text.replace(/[\s&#]/g, "")),
);
/**
 * A token in the query (`access_token`, the live socket's): a namespace's, or one no Authorization header
 * could carry (control characters, spaces, non-ASCII, broken escapes, far too long).
 */
const queryToken = fc.oneof(
	fc.constantFrom("fuzz-1", "fuzz-2", "", "a%0Ab", "a%0Db", "a%00b", "%0A", "%0D%0A", "a%20b", "%20fuzz-1", "%09x"),
	fc.constantFrom("%7F", "x%C3%A9", "%E2%82%AC", "%F0%9F%94%91", "%FF", "%", "%zz", "Bearer%20x", "a,b;c"),
	fc.constantFrom("t".repeat(5_000), "t".repeat(70_000)),
	unicodeText.map(encodeURIComponent),
	fc.string({ unit: "binary-ascii", maxLength: 12 }).map(encodeURIComponent),
);
const queryValueOrToken = fc.oneof({ weight: 4, arbitrary: queryValue }, { weight: 1, arbitrary: queryToken });
const query = fc.array(fc.tuple(queryName, queryValueOrToken), { maxLength: 3 });

// ---- bodies ----

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A key, hostile or declared, written into the JSON text as is (so `__proto__` and duplicates go out). */
const key = fc.oneof(fc.constantFrom(...HOSTILE_KEYS, ...DECLARED_KEYS), fc.string({ maxLength: 8 }));

const leaf: fc.Arbitrary<Json> = fc.oneof(
	anyText,
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.constantFrom(2147483648, -2147483649, 1e308, 0.1),
	fc.boolean(),
	fc.constant(null),
	fc.constantFrom(...STATUSES, ...TYPES),
);
const { value } = fc.letrec<{ value: Json }>((tie) => ({
	value: fc.oneof(
		{ depthSize: "small", withCrossShrink: true },
		leaf,
		fc.array(tie("value"), { maxLength: 3 }),
		fc.array(fc.tuple(key, tie("value")), { maxLength: 3 }).map((entries) => Object.fromEntries(entries) as Json),
	),
}));

/** Nested arrays or objects as text, from harmless to far past the depth limit. */
const deep = fc
	.tuple(fc.constantFrom(5, 31, 32, 33, 200, 5_000, 30_000), fc.boolean())
	.map(([levels, arrays]) =>
		arrays ? `${"[".repeat(levels)}1${"]".repeat(levels)}` : `${'{"x":'.repeat(levels)}1${"}".repeat(levels)}`,
	);

const resultInfo = fc.oneof(
	fc.record(
		{ code: fc.oneof(fc.integer(), fc.constant(1.5)), subcode: fc.integer(), message: fc.option(anyText) },
		{ requiredKeys: [] },
	),
	value,
);

/** A JSON object's text from entries whose values are already JSON text: keys may repeat. */
const objectText = (entries: [string, string][]) =>
	`{${entries.map(([name, json]) => `${JSON.stringify(name)}:${json}`).join(",")}}`;

const operationEntries = fc
	.record(
		{
			"@odata.type": fc.constantFrom(...TYPES),
			id: fc.oneof(fc.constantFrom(...OPERATION_IDS), anyText),
			status: fc.constantFrom(...STATUSES),
			clientContext: fc.oneof(anyText, fc.constant("c".repeat(257))),
			resultInfo,
			participants: fc.oneof(fc.array(value, { maxLength: 3 }), value),
			completionReason: fc.constantFrom("unknown", "completedSuccessfully", "bogus", "operationCanceled"),
		},
		{ requiredKeys: [] },
	)
	.map((record) => Object.entries(record).map(([name, json]): [string, string] => [name, JSON.stringify(json)]));

// Accepted ones only ever point at a closed loopback port: the fuzz never sends anything off this machine.
const callbackUri = fc.constantFrom(
	"not a url",
	"",
	"http://127.0.0.1:9/callback",
	"http://localhost:9/cb",
	"https://127.0.0.1:9/cb",
	"https://[::1]:9/",
	"http://example.com/cb",
	"ftp://127.0.0.1/cb",
);
const faultRule = fc.record(
	{
		route: fc.constantFrom("create", "get", "list", "count", "patch", "delete", "any", "other"),
		nth: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 })),
		probability: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
		// Injected 500 and 503 are deliberate 5xx answers (test/simulation covers them), so left out.
		status: fc.constantFrom(429, 200, 404, "429", null),
		retryAfterSeconds: fc.integer({ min: -1, max: 2 }),
		latencyMs: fc.oneof(fc.integer({ min: -5, max: 20 }), fc.record({ min: fc.nat(10), max: fc.nat(20) })),
	},
	{ requiredKeys: [] },
);
const step = fc.record(
	{
		status: fc.constantFrom(...STATUSES),
		afterMs: fc.oneof(fc.integer({ min: -1, max: 50 }), fc.constant(3_600_001)),
		resultInfo,
		completionReason: anyText,
	},
	{ requiredKeys: [] },
);
const configEntries = fc
	.record(
		{
			callbackUri,
			callbackToken: fc.oneof(anyText, fc.constant("t".repeat(4097))),
			progression: fc.record(
				{
					default: fc.array(step, { maxLength: 4 }),
					byType: fc.dictionary(fc.constantFrom(...TYPES, "__proto__"), fc.array(step, { maxLength: 3 }), {
						maxKeys: 2,
					}),
				},
				{ requiredKeys: [] },
			),
			faults: fc.record(
				{ seed: fc.oneof(fc.nat(), fc.constant(-1)), rules: fc.array(faultRule, { maxLength: 4 }) },
				{ requiredKeys: [] },
			),
		},
		{ requiredKeys: [] },
	)
	.map((record) => Object.entries(record).map(([name, json]): [string, string] => [name, JSON.stringify(json)]));

const extraEntries = fc.array(
	fc.tuple(
		key,
		fc.oneof({ weight: 4, arbitrary: value.map((json) => JSON.stringify(json)) }, { weight: 1, arbitrary: deep }),
	),
	{ maxLength: 3 },
);

const body: fc.Arbitrary<string | undefined> = fc.oneof(
	{ weight: 6, arbitrary: fc.tuple(operationEntries, extraEntries).map(([a, b]) => objectText([...a, ...b])) },
	{ weight: 3, arbitrary: fc.tuple(configEntries, extraEntries).map(([a, b]) => objectText([...a, ...b])) },
	{ weight: 1, arbitrary: deep.map((text) => `{"participants":[${text}]}`) },
	{ weight: 1, arbitrary: value.map((json) => JSON.stringify(json)) },
	{ weight: 1, arbitrary: fc.constantFrom("", "{", "{}}", "nul", "\ufeff{}", '{"a":1,}', "\xff\xfe{}", "[]", "null") },
	{ weight: 1, arbitrary: fc.constantFrom(`{"pad":"${"x".repeat(70_000)}"}`, `{"pad":"${"é".repeat(20_000)}"}`) },
	{ weight: 2, arbitrary: fc.constant(undefined) },
);

// ---- headers and the request ----

const contentType = fc.constantFrom(
	"application/json",
	"application/json",
	"APPLICATION/JSON; charset=utf-8",
	"application/json;odata.metadata=minimal",
	"text/plain",
	"application/jsonx",
	"",
	"\u00e9",
);
const clientRequestId = fc.oneof(
	fc.uuid(),
	fc.constantFrom("", "x".repeat(300), "é", "a\tb"),
	fc.string({ unit: "binary-ascii", maxLength: 20 }).map((text) => text.replace(/[\r\n]/g, "")),
);
const oddHeader = fc.tuple(
	fc.constantFrom(
		"X-Custom",
		"Accept",
		"Accept-Encoding",
		"Prefer",
		"If-Match",
		"Expect",
		"x-stub-anything",
		"Cookie",
		// Miniflare's internal headers and a proxy's: they must change nothing.
		"MF-Original-URL",
		"MF-CF-Blob",
		"X-Forwarded-Proto",
	),
	fc.oneof(
		fc.constantFrom(
			"*/*",
			"gzip",
			"odata.maxpagesize=1",
			"*",
			"100-continue",
			"a=b",
			"v".repeat(70_000),
			"http://evil.example/beta/communications/calls/x/operations",
			"",
		),
		fc.string({ unit: "binary-ascii", maxLength: 20 }).map((text) => text.replace(/[\r\n]/g, "")),
	),
);
const headers = fc
	.record(
		{
			Authorization: fc.constantFrom(...AUTHORIZATIONS),
			"Content-Type": contentType,
			"client-request-id": clientRequestId,
		},
		{ requiredKeys: [] },
	)
	.chain((named) =>
		fc
			.array(oddHeader, { maxLength: 2 })
			.map((odd): [string, string][] => [...Object.entries(named).filter(([, v]) => v !== undefined), ...odd]),
	);

const method = fc.oneof(
	{ weight: 10, arbitrary: fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE") },
	{ weight: 2, arbitrary: fc.constantFrom("HEAD", "OPTIONS", "TRACE", "get", "Post", "PROPFIND", "X-ODD", "MERGE") },
);

/** Anything: every part drawn from its hostile pool. */
const hostileRequest: fc.Arbitrary<FuzzRequest> = fc.record({
	method,
	path,
	query,
	headers,
	body,
	framing: fc.constantFrom("length", "length", "length", "chunked", "none", "short", "bad-chunk"),
	chunkSizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
});

// ---- plausible requests: a real route, a real token, a body that mostly validates ----

const goodCall = fc.constantFrom("fuzz-a", "fuzz-b", encodeURIComponent("ünï-çødé"));
const goodOperation = fc.constantFrom("op-1", "op-2", "op-3", encodeURIComponent("😀"));
const goodVersion = fc.constantFrom("beta", "v1.0");
const dynamicEntries = fc.array(
	fc.tuple(
		fc.oneof(fc.constantFrom("__proto__", "constructor", "custom", "😀", "nested"), fc.string({ maxLength: 6 })),
		value.map((json) => JSON.stringify(json)),
	),
	{ maxLength: 2 },
);
const goodOperationBody = fc
	.tuple(
		fc.record(
			{
				"@odata.type": fc.constantFrom(...TYPES.slice(0, 6)),
				id: fc.constantFrom("op-1", "op-2", "op-3", "😀"),
				status: fc.constantFrom(...STATUSES.slice(0, 4)),
				clientContext: fc.string({ maxLength: 20 }),
				resultInfo: fc.record({ code: fc.integer({ min: 0, max: 999 }), subcode: fc.nat(9999), message: fc.string() }),
			},
			{ requiredKeys: [] },
		),
		dynamicEntries,
	)
	.map(([record, extra]) =>
		objectText([...Object.entries(record).map(([k, v]): [string, string] => [k, JSON.stringify(v)]), ...extra]),
	);
const goodStep = fc.record({ status: fc.constantFrom(...STATUSES.slice(0, 4)), afterMs: fc.nat(50) });
const goodConfigBody = fc
	.record(
		{
			callbackUri,
			callbackToken: fc.string({ maxLength: 10 }),
			progression: fc.record({ default: fc.array(goodStep, { maxLength: 2 }) }),
			faults: fc.record({
				seed: fc.nat(),
				rules: fc.array(
					fc.oneof(
						fc.record({
							route: fc.constantFrom("create", "get", "list", "any"),
							nth: fc.integer({ min: 1, max: 3 }),
							status: fc.constant(429),
							retryAfterSeconds: fc.constantFrom(0, 1),
						}),
						fc.record({ probability: fc.double({ min: 0, max: 1, noNaN: true }), latencyMs: fc.nat(10) }),
					),
					{ maxLength: 2 },
				),
			}),
		},
		{ requiredKeys: [] },
	)
	.map((record) => JSON.stringify(record));
const goodQuery = fc.array(
	fc.tuple(fc.constantFrom("$top", "$TOP", "top", "$count", "count"), fc.constantFrom("1", "2", "true", "false")),
	{ maxLength: 2 },
);

type Route = { method: string; path: string; body?: string; query?: [string, string][] };
const route: fc.Arbitrary<Route> = fc.oneof(
	fc
		.tuple(goodVersion, goodCall, goodOperationBody)
		.map(([v, call, b]) => ({ method: "POST", path: `/${v}/communications/calls/${call}/operations`, body: b })),
	fc
		.tuple(goodVersion, goodCall, goodQuery)
		.map(([v, call, q]) => ({ method: "GET", path: `/${v}/communications/calls/${call}/operations`, query: q })),
	fc
		.tuple(goodVersion, goodCall, fc.constantFrom("GET", "DELETE"), goodOperation)
		.map(([v, call, m, op]) => ({ method: m, path: `/${v}/communications/calls/${call}/operations/${op}` })),
	fc.tuple(goodVersion, goodCall, goodOperation, goodOperationBody).map(([v, call, op, b]) => ({
		method: "PATCH",
		path: `/${v}/communications/calls/${call}/operations/${op}`,
		body: b,
	})),
	fc
		.tuple(goodVersion, goodCall)
		.map(([v, call]) => ({ method: "GET", path: `/${v}/communications/calls/${call}/operations/$count` })),
	fc
		.tuple(goodCall, goodConfigBody)
		.map(([call, b]) => ({ method: "PUT", path: `/_stub/calls/${call}/config`, body: b })),
	fc.tuple(goodCall, fc.constantFrom("config", "notifications", "journal")).map(([call, leaf]) => ({
		method: "GET",
		path: `/_stub/calls/${call}/${leaf}`,
	})),
	fc
		.tuple(goodCall, fc.constantFrom("", "/config"))
		.map(([call, leaf]) => ({ method: "DELETE", path: `/_stub/calls/${call}${leaf}` })),
	goodConfigBody.map((b) => ({ method: "PUT", path: "/_stub/config", body: b })),
	fc.constantFrom<Route>(
		{ method: "GET", path: "/_stub/config" },
		{ method: "DELETE", path: "/_stub/config" },
		{ method: "GET", path: "/_stub/calls" },
		{ method: "GET", path: "/_stub/health" },
	),
);

const plausibleRequest: fc.Arbitrary<FuzzRequest> = fc
	.record({
		route,
		token: fc.constantFrom("fuzz-1", "fuzz-2"),
		clientRequestId: fc.option(fc.uuid(), { nil: undefined }),
		framing: fc.constantFrom<FuzzRequest["framing"]>("length", "length", "chunked"),
		chunkSizes: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 3 }),
	})
	.map(({ route: r, token, clientRequestId: id, framing, chunkSizes }) => ({
		method: r.method,
		path: r.path,
		query: r.query ?? [],
		headers: [
			["Authorization", `Bearer ${token}`],
			...(r.body === undefined ? [] : [["Content-Type", "application/json"]]),
			...(id === undefined ? [] : [["client-request-id", id]]),
		] as [string, string][],
		body: r.body,
		framing,
		chunkSizes,
	}));

/**
 * The live socket with its token in the query and no Authorization (as a browser's WebSocket sends it),
 * sometimes with a header as well. Without an Upgrade header: a good token is 426, never a held socket.
 */
const liveRequest: fc.Arbitrary<FuzzRequest> = fc
	.record({
		call: fc.oneof(goodCall, segmentText),
		token: queryToken,
		header: fc.option(fc.constantFrom(...AUTHORIZATIONS), { nil: undefined }),
	})
	.map(({ call, token, header }) => ({
		method: "GET",
		path: `/_stub/calls/${call}/live`,
		query: [["access_token", token]],
		headers: header === undefined ? [] : [["Authorization", header]],
		body: undefined,
		framing: "none",
		chunkSizes: [1],
	}));

/** A plausible request with one part taken from a hostile one: reaches deep, then breaks one thing. */
const mutatedRequest: fc.Arbitrary<FuzzRequest> = fc
	.tuple(
		plausibleRequest,
		hostileRequest,
		fc.constantFrom<(keyof FuzzRequest)[]>(["method"], ["path"], ["query"], ["headers"], ["body"], ["framing", "body"]),
	)
	.map(([plausible, hostile, parts]) => ({
		...plausible,
		...Object.fromEntries(parts.map((part) => [part, hostile[part]])),
	}));

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
	{ weight: 3, arbitrary: plausibleRequest },
	{ weight: 3, arbitrary: mutatedRequest },
	{ weight: 3, arbitrary: hostileRequest },
	{ weight: 1, arbitrary: liveRequest },
);

/** The request's bytes as they go on the wire to `host`. */
export function wireBytes(request: FuzzRequest, host: string): Buffer {
	const target = request.query.length
		? `${request.path}?${request.query.map(([name, val]) => `${name}=${val}`).join("&")}`
		: request.path;
	const lines = [`${request.method} ${target} HTTP/1.1`, `Host: ${host}`, "Connection: close"];
	for (const [name, val] of request.headers) lines.push(`${name}: ${val}`);
	const bytes = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
	let payload: Buffer = Buffer.alloc(0);
	if (bytes) {
		if (request.framing === "length") lines.push(`Content-Length: ${bytes.length}`);
		if (request.framing === "short") lines.push(`Content-Length: ${bytes.length + 10}`);
		if (request.framing === "chunked" || request.framing === "bad-chunk") lines.push("Transfer-Encoding: chunked");
		payload = request.framing === "chunked" ? chunked(bytes, request.chunkSizes) : bytes;
		if (request.framing === "bad-chunk") payload = Buffer.concat([Buffer.from("zz\r\n"), bytes]);
	}
	return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "utf8"), payload]);
}

function chunked(bytes: Buffer, sizes: number[]): Buffer {
	const parts: Buffer[] = [];
	for (let offset = 0, i = 0; offset < bytes.length; i++) {
		const size = Math.min(sizes[i % sizes.length] ?? 1, bytes.length - offset);
		parts.push(Buffer.from(`${size.toString(16)}\r\n`), bytes.subarray(offset, offset + size), Buffer.from("\r\n"));
		offset += size;
	}
	parts.push(Buffer.from("0\r\n\r\n"));
	return Buffer.concat(parts);
}
