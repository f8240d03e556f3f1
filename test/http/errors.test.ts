import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { toErrorResponse } from "../../src/http/error-response";
import type { StubRequest } from "../../src/http/stub-request";
import { create, errorOf, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";

const UNREADABLE =
	"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.";

describe("the error envelope", () => {
	it("carries code, message and innerError with request ids and a zone-less UTC date", async () => {
		const response = await create(uniqueCallId(), { status: "x" }, { headers: { "client-request-id": "abc-123" } });
		const { error } = await errorOf(response);
		expect(error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
		expect(error.innerError["request-id"]).toBe(response.headers.get("request-id"));
		expect(error.innerError["client-request-id"]).toBe("abc-123");
		expect(response.headers.get("client-request-id")).toBe("abc-123");
		expect(response.headers.get("Content-Type")).toBe("application/json");
		expect(response.headers.get("OData-Version")).toBe("4.0");
	});

	it("turns an unexpected exception into a bare 500 UnknownError without internals", async () => {
		const request = new Request(ORIGIN) as StubRequest;
		request.meta = { requestId: "r", clientRequestId: "c", origin: ORIGIN, path: "/", search: new URLSearchParams() };
		const log = vi.spyOn(console, "error").mockImplementation(() => {});
		const response = toErrorResponse(new TypeError("secret stack detail"), request);
		expect(log).toHaveBeenCalledOnce();
		log.mockRestore();
		expect(response.status).toBe(500);
		const text = await response.text();
		expect(JSON.parse(text)).toMatchObject({ error: { code: "UnknownError", innerError: { "request-id": "r" } } });
		expect(text).not.toContain("secret");
	});
});

describe("401 InvalidAuthenticationToken", () => {
	it.each([
		["no Authorization", null, "Access token is empty."],
		["an empty bearer", "", "Access token is empty."],
	])("%s", async (_, token, message) => {
		const response = await create(uniqueCallId(), {}, { token });
		expect(response.status).toBe(401);
		expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
		expect((await errorOf(response)).error).toMatchObject({ code: "InvalidAuthenticationToken", message });
	});

	it.each(["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "Token abc", "Bearer a b"])("refuses '%s'", async (header) => {
		const response = await create(uniqueCallId(), {}, { token: null, headers: { Authorization: header } });
		expect(response.status).toBe(401);
		expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
		expect((await errorOf(response)).error.code).toBe("InvalidAuthenticationToken");
	});

	it("accepts the scheme in any case", async () => {
		const response = await create(uniqueCallId(), {}, { token: null, headers: { Authorization: "bearer abc" } });
		expect(response.status).toBe(201);
	});
});

describe("400 unreadable payloads", () => {
	const post = (body: BodyInit | null, contentType?: string) =>
		exports.default.fetch(operationsUrl(uniqueCallId()), {
			method: "POST",
			headers: { Authorization: "Bearer t", ...(contentType ? { "Content-Type": contentType } : {}) },
			body,
		});

	it.each([
		["no Content-Type", "{}", undefined],
		["text/plain", "{}", "text/plain"],
		["form data", "a=b", "application/x-www-form-urlencoded"],
		["broken JSON", '{"status":', "application/json"],
		["an empty body", null, "application/json"],
		["an array", "[]", "application/json"],
		["null", "null", "application/json"],
		["a number", "42", "application/json"],
		["invalid UTF-8", new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), "application/json"],
	])("%s", async (_, body, contentType) => {
		const response = await post(body, contentType);
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error).toMatchObject({ code: "BadRequest", message: UNREADABLE });
	});

	it("accepts Content-Type parameters and any case", async () => {
		expect((await post("{}", "Application/JSON; charset=utf-8")).status).toBe(201);
	});
});

describe("413 RequestEntityTooLarge", () => {
	const limit = 64 * 1024;

	it("refuses a declared Content-Length over the limit", async () => {
		const body = JSON.stringify({ pad: "x".repeat(limit) });
		const response = await create(uniqueCallId(), body);
		expect(response.status).toBe(413);
		expect((await errorOf(response)).error.code).toBe("RequestEntityTooLarge");
	});

	it("stops reading an undeclared (streamed) body once it passes the limit", async () => {
		let pulled = 0;
		const chunk = new TextEncoder().encode(`"${"x".repeat(1022)}",`);
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new TextEncoder().encode('{"pad":['));
			},
			pull(controller) {
				pulled++;
				if (pulled > 1000) controller.close();
				else controller.enqueue(chunk);
			},
		});
		const response = await exports.default.fetch(operationsUrl(uniqueCallId()), {
			method: "POST",
			headers: { Authorization: "Bearer t", "Content-Type": "application/json" },
			body: stream,
		});
		expect(response.status).toBe(413);
		expect(pulled).toBeLessThan(200);
	});

	it("accepts a body just under the limit", async () => {
		const body = JSON.stringify({ pad: "x".repeat(limit - 20) });
		expect((await create(uniqueCallId(), body)).status).toBe(201);
	});
});

describe("routing errors", () => {
	it("refuses an unknown version", async () => {
		const response = await create(uniqueCallId(), {}, {}, "v2.0");
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error).toMatchObject({ code: "BadRequest", message: "Invalid version: v2.0" });
	});

	it("answers 405 with Allow for a wrong method on the collection", async () => {
		const response = await send("PUT", operationsUrl(uniqueCallId()), {});
		expect(response.status).toBe(405);
		expect(response.headers.get("Allow")).toBe("GET, POST");
		expect((await errorOf(response)).error.code).toBe("MethodNotAllowed");
	});

	it("answers a Graph-shaped 404 for an unknown path", async () => {
		const response = await send("GET", `${ORIGIN}/beta/communications/meetings`);
		expect(response.status).toBe(404);
		expect((await errorOf(response)).error).toMatchObject({
			code: "NotFound",
			message: "Resource not found for the segment 'meetings'.",
		});
		expect(response.headers.get("request-id")).toBeTruthy();
	});

	it("refuses a malformed percent-escape in the callId as a 400, not a 500", async () => {
		const response = await send("POST", `${ORIGIN}/beta/communications/calls/%E0%A4%A/operations`, {});
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error.details?.[0]?.target).toBe("callId");
	});
});

describe("GET /_stub/health", () => {
	it("answers without auth", async () => {
		const response = await send("GET", `${ORIGIN}/_stub/health`, undefined, { token: null });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
	});
});
