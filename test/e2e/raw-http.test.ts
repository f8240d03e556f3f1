import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationsUrl, postJson, type RunningStub, serving, startStub } from "./helpers/stub.ts";

let stub: RunningStub;
beforeAll(async () => {
	stub = await startStub();
});
afterAll(() => stub?.dispose());

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("raw HTTP against the served Worker", () => {
	it("sends Graph's headers on a create", async () => {
		const response = await postJson(operationsUrl(stub.base, "raw"), { id: "op-1" }, "raw-token", {
			"client-request-id": "11111111-2222-3333-4444-555555555555",
		});
		expect(response.status).toBe(201);
		expect(response.headers.get("location")).toBe(`${operationsUrl(stub.base, "raw")}/op-1`);
		expect(response.headers.get("request-id")).toMatch(GUID);
		expect(response.headers.get("client-request-id")).toBe("11111111-2222-3333-4444-555555555555");
		expect(response.headers.get("odata-version")).toBe("4.0");
		expect(response.headers.get("content-type")).toBe(
			"application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
		);
		expect(JSON.parse(response.headers.get("x-ms-ags-diagnostic") ?? "")).toEqual({
			ServerInfo: { DataCenter: "local", Slice: "E", Ring: "stub", ScaleUnit: "000", RoleInstance: "graph-comms-stub" },
		});
	});

	it("answers the exact error JSON", async () => {
		const response = await postJson(operationsUrl(stub.base, "raw"), { status: "Paused" }, "raw-token", {
			"client-request-id": "my-id",
		});
		expect(response.status).toBe(400);
		const body = await response.json();
		const requestId = response.headers.get("request-id");
		const allowed = "allowed values are NotStarted, Running, Completed, Failed";
		expect(body).toEqual({
			error: {
				code: "BadRequest",
				message: `Invalid request body: status: 'Paused' is not a valid operationStatus; ${allowed}.`,
				details: [
					{
						code: "InvalidValue",
						message: `status: 'Paused' is not a valid operationStatus; ${allowed}`,
						target: "status",
					},
				],
				innerError: {
					date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
					"request-id": requestId,
					"client-request-id": "my-id",
				},
			},
		});
	});

	it("answers 401 with WWW-Authenticate", async () => {
		const unauthenticated = await fetch(operationsUrl(stub.base, "raw"), { method: "POST", body: "{}" });
		expect(unauthenticated.status).toBe(401);
		expect(unauthenticated.headers.get("www-authenticate")).toBe("Bearer");
	});

	// Over https the 413 may be lost: workerd closes a connection whose body it did not read, and when the
	// client is still sending through the TLS pipe the reset can arrive before the answer is read
	// (docs/guides/point-a-bot.md, "Run it"). Over plain http the answer always arrives.
	it.skipIf(serving === "https")("answers 413 before reading a huge body", async () => {
		const tooLarge = await postJson(operationsUrl(stub.base, "raw"), { pad: "x".repeat(200_000) });
		expect(tooLarge.status).toBe(413);
		expect((await tooLarge.json()).error.code).toBe("RequestEntityTooLarge");
	});

	it("keeps 20 clients x 25 interleaved creates on one call in one gapless sequence", async () => {
		const url = operationsUrl(stub.base, "crowd");
		const clients = Array.from({ length: 20 }, (_, client) => `client-${client}`);
		const created = await Promise.all(
			clients.map(async (client) => {
				const mine: { id: string; seq: number }[] = [];
				for (let i = 0; i < 25; i++) {
					const response = await postJson(url, { clientContext: `${client}-${i}` }, "crowd-token");
					const body = (await response.json()) as { id: string };
					mine.push({ id: body.id, seq: Number(response.headers.get("x-stub-sequence")) });
				}
				return mine;
			}),
		);
		const all = created.flat();
		expect(all.map((c) => c.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
		// Each client's own creates are numbered in the order it sent them.
		for (const mine of created)
			expect(mine.map((c) => c.seq)).toEqual([...mine.map((c) => c.seq)].sort((a, b) => a - b));

		const listed = (await (
			await fetch(`${url}?$top=999`, { headers: { Authorization: "Bearer crowd-token" } })
		).json()) as { value: { id: string }[] };
		const bySeq = new Map(all.map((c) => [c.seq, c.id]));
		expect(listed.value.map((op) => op.id)).toEqual(Array.from({ length: 500 }, (_, i) => bySeq.get(i + 1)));
		expect(new Set(listed.value.map((op) => op.id)).size).toBe(500);
	});
});
