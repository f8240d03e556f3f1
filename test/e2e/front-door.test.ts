import { connect as connectTcp } from "node:net";
import { connect as connectTls } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStub, serving, startStub } from "./helpers/stub.ts";

// What a client can put in front of the Worker: Host headers that name no host, and the headers Miniflare
// uses between its own parts (MF-*), X-Forwarded-Proto. None may reach past the Worker's own rules.
let stub: RunningStub;
beforeAll(async () => {
	stub = await startStub();
});
afterAll(() => stub?.dispose());

type RawResponse = { status: number; headers: Map<string, string>; body: string };

/** Sends `head` (and `body`) exactly as written over one connection, reads the answer until the server closes. */
function exchange(head: string[], body = ""): Promise<RawResponse> {
	const { hostname, port } = new URL(stub.base);
	const text = `${[...head, `Content-Length: ${Buffer.byteLength(body)}`, "Connection: close"].join("\r\n")}\r\n\r\n${body}`;
	return new Promise((resolve, reject) => {
		const socket =
			serving === "https"
				? connectTls({ host: hostname, port: Number(port) }, () => socket.write(text))
				: connectTcp({ host: hostname, port: Number(port) }, () => socket.write(text));
		const chunks: Buffer[] = [];
		socket.on("data", (chunk: Buffer) => chunks.push(chunk));
		socket.on("error", reject);
		socket.on("close", () => {
			const raw = Buffer.concat(chunks).toString("utf8");
			const split = raw.indexOf("\r\n\r\n");
			const [statusLine = "", ...lines] = raw.slice(0, split).split("\r\n");
			const headers = new Map(
				lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
			);
			resolve({ status: Number(statusLine.split(" ")[1]), headers, body: raw.slice(split + 4) });
		});
	});
}

const authority = () => new URL(stub.base).host;
const health = (...extra: string[]) => exchange(["GET /_stub/health HTTP/1.1", `Host: ${authority()}`, ...extra]);
const createOn = (callId: string, ...extra: string[]) =>
	exchange(
		[
			`POST /beta/communications/calls/${callId}/operations HTTP/1.1`,
			`Host: ${authority()}`,
			"Authorization: Bearer front-door-token",
			"Content-Type: application/json",
			...extra,
		],
		"{}",
	);

/** Nothing about the machine: no stack frames, no file paths. */
const STACK_OR_PATH = /\bat \S+ \(|\.(?:js|ts|mjs):\d+|\/(?:home|work|tmp|usr)\/|node_modules|workerd\//;

describe(`a request from outside the stub (${serving})`, () => {
	it.each([
		["a space", "a b%%"],
		["a port out of range", "x:99999"],
		["a lone bracket", "["],
		["userinfo only", "@"],
		["a path", `127.0.0.1/_stub/calls?`],
		["two hosts", "a, b"],
	])("with a Host header holding %s gets Graph's 400, no stack trace", async (_, host) => {
		const response = await exchange(["GET /_stub/health HTTP/1.1", `Host: ${host}`]);
		expect(response.status).toBe(400);
		expect(response.body).not.toMatch(STACK_OR_PATH);
		expect(JSON.parse(response.body)).toMatchObject({
			error: { code: "BadRequest", message: "The Host header does not name a host." },
		});
		expect(response.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
	});

	it.each([
		["MF-CF-Blob: not json"],
		['MF-CF-Blob: {"colo":"EVIL"}'],
		["MF-Original-URL:"],
		["MF-Original-URL: not a url"],
		["MF-Disable-Pretty-Error: 1"],
		["MF-Route-Override: nowhere"],
		["MF-Proxy-Shared-Secret: guess"],
	])("cannot set Miniflare's internal header %s", async (header) => {
		const response = await health(header);
		expect(response.status).toBe(200);
		expect(JSON.parse(response.body)).toEqual({ status: "ok", version: expect.any(String) });
		expect(JSON.parse(response.headers.get("x-ms-ags-diagnostic") ?? "")).toMatchObject({
			ServerInfo: { DataCenter: "local" },
		});
	});

	it.each([
		["MF-Original-URL", "MF-Original-URL: http://evil.example/beta/communications/calls/door/operations"],
		["X-Forwarded-Proto", `X-Forwarded-Proto: ${serving === "https" ? "http" : "https"}`],
	])("cannot choose the origin the stub reports with %s", async (_, header) => {
		const response = await createOn("door", header);
		expect(response.status).toBe(201);
		const location = response.headers.get("location") ?? "";
		expect(location.startsWith(`${stub.base}/beta/communications/calls/door/operations/`)).toBe(true);
		expect(JSON.parse(response.body)["@odata.context"]).toBe(
			`${stub.base}/beta/$metadata#communications/calls('door')/operations/$entity`,
		);
	});

	it("reports the authority it was addressed by, with the scheme it is served over", async () => {
		const response = await exchange([
			"GET /beta/communications/calls/door/operations HTTP/1.1",
			`Host: localhost:${new URL(stub.base).port}`,
			"Authorization: Bearer front-door-token",
		]);
		expect(JSON.parse(response.body)["@odata.context"]).toMatch(
			new RegExp(`^${serving}://localhost:${new URL(stub.base).port}/beta/\\$metadata#`),
		);
	});
});
