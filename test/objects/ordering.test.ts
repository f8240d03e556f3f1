import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace as testerNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import { create, errorOf, json, uniqueCallId } from "../helpers/graph";

type Row = { seq: number; id: string };

async function rowsOf(callId: string, token = "tester-token") {
	const stub = callObject(env, await testerNamespace(token), callId);
	return runInDurableObject(stub, (_, state) =>
		state.storage.sql.exec<Row>("SELECT seq, id FROM operations ORDER BY seq").toArray(),
	);
}

describe("ordering within a call", () => {
	it("numbers 200 concurrent creates exactly 1..200, ids unique, rows in the same order", async () => {
		const callId = uniqueCallId();
		const responses = await Promise.all(
			Array.from({ length: 200 }, (_, i) => create(callId, { clientContext: `c-${i}` })),
		);
		const created = await Promise.all(
			responses.map(async (response) => ({
				status: response.status,
				seq: Number(response.headers.get("x-stub-sequence")),
				id: String((await json(response)).id),
			})),
		);
		expect(created.every((c) => c.status === 201)).toBe(true);
		expect(created.map((c) => c.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
		expect(new Set(created.map((c) => c.id)).size).toBe(200);

		const rows = await rowsOf(callId);
		const bySeq = new Map(created.map((c) => [c.seq, c.id]));
		expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
		expect(rows.every((row) => bySeq.get(row.seq) === row.id)).toBe(true);
	});

	it("numbers sequential creates in the order they were sent", async () => {
		const callId = uniqueCallId();
		for (let i = 1; i <= 5; i++) {
			const response = await create(callId, { id: `op-${i}` });
			expect(response.headers.get("x-stub-sequence")).toBe(String(i));
		}
		expect((await rowsOf(callId)).map((row) => row.id)).toEqual(["op-1", "op-2", "op-3", "op-4", "op-5"]);
	});

	it("answers 409 to a duplicate id, stores nothing and leaves no gap in the sequence", async () => {
		const callId = uniqueCallId();
		expect((await create(callId, { id: "same" })).status).toBe(201);
		const duplicate = await create(callId, { id: "same", status: "Failed" });
		expect(duplicate.status).toBe(409);
		expect((await errorOf(duplicate)).error.code).toBe("Conflict");
		const next = await create(callId, {});
		expect(next.headers.get("x-stub-sequence")).toBe("2");
		expect((await rowsOf(callId)).length).toBe(2);
	});

	it("lets exactly one of many concurrent creates with the same id win", async () => {
		const callId = uniqueCallId();
		const statuses = await Promise.all(Array.from({ length: 20 }, () => create(callId, { id: "race" }))).then((rs) =>
			rs.map((r) => r.status),
		);
		expect(statuses.filter((s) => s === 201)).toHaveLength(1);
		expect(statuses.filter((s) => s === 409)).toHaveLength(19);
	});
});

describe("independence", () => {
	it("keeps concurrent creates to different calls apart, each numbered from 1", async () => {
		const calls = [uniqueCallId(), uniqueCallId(), uniqueCallId()];
		await Promise.all(calls.flatMap((callId) => Array.from({ length: 30 }, () => create(callId, {}))));
		for (const callId of calls) {
			expect((await rowsOf(callId)).map((row) => row.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
		}
	});

	it("keeps two namespaces with the same callId apart, even with the same operation id", async () => {
		const callId = uniqueCallId();
		const jwt = (claims: object) => `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.sig`;
		const alice = jwt({ tid: "tenant-a", appid: "app" });
		const bob = jwt({ tid: "tenant-b", appid: "app" });
		expect((await create(callId, { id: "op" }, { token: alice })).status).toBe(201);
		expect((await create(callId, { id: "op" }, { token: bob })).status).toBe(201);
		expect((await create(callId, {}, { token: "plain-token" })).headers.get("x-stub-sequence")).toBe("1");
		expect(await rowsOf(callId, alice)).toHaveLength(1);
		expect(await rowsOf(callId, bob)).toHaveLength(1);
	});
});
