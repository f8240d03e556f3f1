import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawResponse, sendRaw } from "./helpers/raw-socket.ts";
import { operationsUrl, type RunningStub, startStub } from "./helpers/stub.ts";

// Bodies that end early or are badly chunked, written byte for byte to the served Worker. Two layers
// can answer: workerd's HTTP parser refuses a malformed header itself (plain text 400, before the
// Worker runs); a body whose framing breaks mid-stream reaches the Worker as a stream that errors,
// and the Worker answers Graph's 400. Either way: a 400, never a 500, never a stack trace, nothing stored.

let stub: RunningStub;
let port: number;
beforeAll(async () => {
	stub = await startStub({ https: undefined }); // raw bytes on the plain socket (the https run pipes the same bytes)
	port = Number(new URL(stub.base).port);
});
afterAll(() => stub?.dispose());

const TOKEN = "framing-token";
let calls = 0;

function request(callId: string, framing: string, body: string, method = "POST", suffix = "") {
	const path = new URL(operationsUrl(stub.base, callId)).pathname + suffix;
	return (
		`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
		`Content-Type: application/json\r\nConnection: close\r\n${framing}\r\n${body}`
	);
}

function expectNoInternals(response: RawResponse) {
	expect(response.status).toBeGreaterThanOrEqual(400);
	expect(response.status).toBeLessThan(500);
	expect(response.body).not.toMatch(/\bat .*\(|file:\/\/|\.js:\d+|\.ts:\d+/);
}

/** The Worker's own answer: Graph's envelope, with the request-id it also sent as a header. */
function expectGraphBadRequest(response: RawResponse) {
	expectNoInternals(response);
	expect(response.status).toBe(400);
	const { error } = JSON.parse(response.body) as { error: { code: string; innerError: Record<string, string> } };
	expect(error.code).toBe("BadRequest");
	expect(error.innerError["request-id"]).toBe(response.headers["request-id"]);
}

async function storedCount(callId: string) {
	const response = await fetch(operationsUrl(stub.base, callId), { headers: { Authorization: `Bearer ${TOKEN}` } });
	return response.status === 404 ? 0 : ((await response.json()) as { value: unknown[] }).value.length;
}

const BROKEN_BODIES: [string, string, string][] = [
	["a Content-Length larger than the bytes sent", "Content-Length: 100\r\n", '{"id":"x"}'],
	["a Content-Length and no body at all", "Content-Length: 20\r\n", ""],
	["a chunk size larger than the chunk", "Transfer-Encoding: chunked\r\n", '10\r\n{"id":"x"}\r\n0\r\n\r\n'],
	["a chunk size that is not hex", "Transfer-Encoding: chunked\r\n", 'zz\r\n{"id":"x"}\r\n0\r\n\r\n'],
	[
		"a chunk size too large for any number",
		"Transfer-Encoding: chunked\r\n",
		"ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
	],
	["a chunk not followed by CRLF", "Transfer-Encoding: chunked\r\n", "2\r\n{}XX0\r\n\r\n"],
	["chunks without the terminating zero chunk", "Transfer-Encoding: chunked\r\n", 'a\r\n{"id":"x"}\r\n'],
	[
		"Content-Length with Transfer-Encoding and broken chunks",
		"Content-Length: 10\r\nTransfer-Encoding: chunked\r\n",
		'zz\r\n{"id":"x"}\r\n',
	],
];

describe("a body that ends early or is badly chunked", () => {
	it.each(BROKEN_BODIES)("answers Graph's 400 to %s on create, and stores nothing", async (_, framing, body) => {
		const callId = `framing-${++calls}`;
		expectGraphBadRequest(await sendRaw(port, request(callId, framing, body)));
		expect(await storedCount(callId)).toBe(0);
	});

	it("answers Graph's 400 on PATCH and on configuration PUTs too", async () => {
		const callId = `framing-${++calls}`;
		const created = await fetch(operationsUrl(stub.base, callId), {
			method: "POST",
			headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
			body: '{"id":"op"}',
		});
		expect(created.status).toBe(201);
		const cut = ["Content-Length: 50\r\n", '{"status":"Running"'] as const;
		expectGraphBadRequest(await sendRaw(port, request(callId, ...cut, "PATCH", "/op")));
		const configPath = `/_stub/calls/${callId}/config`;
		const put = (path: string) =>
			`PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
			"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nq\r\n";
		expectGraphBadRequest(await sendRaw(port, put(configPath)));
		expectGraphBadRequest(await sendRaw(port, put("/_stub/config")));
		const stored = await fetch(`${operationsUrl(stub.base, callId)}/op`, {
			headers: { Authorization: `Bearer ${TOKEN}` },
		});
		expect(((await stored.json()) as { status: string }).status).toBe("NotStarted");
	});

	it("lets the runtime refuse malformed framing headers with a plain 400 before the Worker runs", async () => {
		for (const framing of [
			"Content-Length: abc\r\n",
			"Content-Length: -1\r\n",
			"Content-Length: 2\r\nContent-Length: 3\r\n",
			"Transfer-Encoding: identity\r\n",
			"Transfer-Encoding: chunked, gzip\r\n",
		]) {
			const callId = `framing-${++calls}`;
			const response = await sendRaw(port, request(callId, framing, "{}"));
			expectNoInternals(response);
			expect(response.status).toBe(400);
			expect(response.headers["request-id"]).toBeUndefined();
			expect(await storedCount(callId)).toBe(0);
		}
	});

	it("frames by chunks when both Content-Length and chunked are sent (the runtime drops Content-Length)", async () => {
		// RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; workerd removes the latter before
		// the Worker sees the request, so the body is exactly the chunks and nothing is smuggled after it.
		const callId = `framing-${++calls}`;
		const smuggled = `GET /_stub/health HTTP/1.1\r\nHost: x\r\n\r\n`;
		const response = await sendRaw(
			port,
			request(
				callId,
				"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n",
				`b\r\n{"id":"ok"}\r\n0\r\n\r\n${smuggled}`,
			),
		);
		expect(response.status).toBe(201);
		expect(response.raw.match(/HTTP\/1\.1 /g)).toHaveLength(1);
		expect(await storedCount(callId)).toBe(1);
	});
});
