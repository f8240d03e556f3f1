import { pathToFileURL } from "node:url";

// node bench/peers/mockttp-server.ts <path of mockttp's main.js> <port>: a mockttp server answering a
// call's operations (create, get one, list) from state in a Map per call, as a tester would write one.
// mockttp is loaded from the peers' cache folder (bench/peers/install.ts), never from the project.
// Its defaults are kept (recordTraffic: every request kept for getSeenRequests, as the stub's journal).

type Request = { url: string; body: { getJson(): Promise<unknown> } };
type Answer = { statusCode: number; body: string; headers: Record<string, string> };
type Builder = { thenCallback(callback: (request: Request) => Answer | Promise<Answer>): Promise<unknown> };
type Server = {
	start(port: number): Promise<void>;
	forPost(path: RegExp): Builder;
	forGet(path: RegExp): Builder;
};
type Mockttp = { getLocal(options: { cors: boolean }): Server };

const [modulePath, port] = process.argv.slice(2);
if (!modulePath || !port) throw new Error("usage: mockttp-server.ts <mockttp main.js> <port>");
const { getLocal } = (await import(pathToFileURL(modulePath).href)) as Mockttp;

const calls = new Map<string, Map<string, Record<string, unknown>>>();
const operationsOf = (callId: string) => {
	const operations = calls.get(callId) ?? new Map<string, Record<string, unknown>>();
	calls.set(callId, operations);
	return operations;
};
const pathOf = (url: string) => new URL(url, "http://localhost").pathname;
const OPERATIONS = /\/communications\/calls\/([^/?]+)\/operations(?:\?.*)?$/;
const OPERATION = /\/communications\/calls\/([^/?]+)\/operations\/([^/?]+)(?:\?.*)?$/;

// mockttp sends no Content-Length of its own (the body would end only with the connection): set it.
const answer = (statusCode: number, value: unknown): Answer => {
	const body = JSON.stringify(value);
	return {
		statusCode,
		body,
		headers: { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) },
	};
};

const server = getLocal({ cors: false });
await server.forPost(OPERATIONS).thenCallback(async (request) => {
	const callId = pathOf(request.url).split("/")[4] ?? "";
	const body = await request.body.getJson();
	if (body === null || typeof body !== "object" || Array.isArray(body))
		return answer(400, { error: { code: "BadRequest", message: "A JSON object is required." } });
	const sent = body as Record<string, unknown>;
	const operation = { status: "NotStarted", ...sent, id: typeof sent.id === "string" ? sent.id : crypto.randomUUID() };
	operationsOf(callId).set(String(operation.id), operation);
	return answer(201, operation);
});
await server.forGet(OPERATION).thenCallback((request) => {
	const [, , , , callId = "", , operationId = ""] = pathOf(request.url).split("/");
	const operation = calls.get(callId)?.get(operationId);
	if (!operation) return answer(404, { error: { code: "itemNotFound", message: "Not found." } });
	return answer(200, operation);
});
await server.forGet(OPERATIONS).thenCallback((request) => {
	const callId = pathOf(request.url).split("/")[4] ?? "";
	return answer(200, { value: [...(calls.get(callId)?.values() ?? [])] });
});
await server.start(Number(port));
console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
