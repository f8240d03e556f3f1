import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import type { RequestFacts } from "../../src/objects/requests/request-facts";
import { create, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";
import { allPages, journalPage, requestsUrl } from "./helpers";

// Reads' journal entries are written together, on the next turn of the call object's event loop, so that a
// burst of reads costs one commit (RequestJournal.later, docs/guides/speed.md). What must not change: each
// read's answer leaves after its entry is written, arrival order with every other request, and a wipe
// takes them along like everything else.

const getFacts = (callId: string): RequestFacts => ({
	route: "getOperation",
	source: "bot",
	method: "GET",
	path: `/beta/communications/calls/${callId}/operations/op-1`,
	query: "",
	clientRequestId: crypto.randomUUID(),
	okStatus: 200,
	operationId: "op-1",
});

const storedRoutes = (state: DurableObjectState) =>
	state.storage.sql
		.exec<{ route: string }>("SELECT route FROM request_journal ORDER BY seq")
		.toArray()
		.map((row) => row.route);

describe("reads' journal entries, written together", () => {
	it("a read is answered only once its entry is written", async () => {
		const token = uniqueCallId("journal-read-waits");
		const callId = uniqueCallId();
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(201);
		const stub = callObject(env, await tokenHashNamespace(token), callId);
		await runInDurableObject(stub, async (instance, state) => {
			const answers = await Promise.all([
				instance.getOperation("op-1", getFacts(callId)),
				instance.getOperation("op-1", getFacts(callId)),
			]);
			expect(answers.map((answer) => answer.ok)).toEqual([true, true]);
			// Read straight from the table as soon as the answers are in: nothing else wrote the entries.
			expect(storedRoutes(state)).toEqual(["createOperation", "getOperation", "getOperation"]);
		});
	});

	it("a burst of reads and a write keep arrival order, numbered without gaps", async () => {
		const token = uniqueCallId("journal-read-burst");
		const callId = uniqueCallId();
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(201);
		const op = `${operationsUrl(callId)}/op-1`;
		const stub = callObject(env, await tokenHashNamespace(token), callId);
		// Sent from inside the object's own event loop, so that all arrive before the waiting entries are written.
		await runInDurableObject(stub, async (instance) => {
			const reads = [0, 1, 2].map(() => instance.getOperation("op-1", getFacts(callId)));
			const write = instance.deleteOperation("op-1", {
				...getFacts(callId),
				route: "deleteOperation",
				method: "DELETE",
				okStatus: 204,
			});
			const lateRead = instance.getOperation("op-1", getFacts(callId));
			const [late] = await Promise.all([lateRead, write, ...reads]);
			expect(late.ok).toBe(false); // it arrived after the delete, and saw it
		});
		const entries = (await allPages(token, requestsUrl(callId))).reverse();
		expect(entries.map((entry) => [entry.sequence, entry.route, entry.status])).toEqual([
			[1, "createOperation", 201],
			[2, "getOperation", 200],
			[3, "getOperation", 200],
			[4, "getOperation", 200],
			[5, "deleteOperation", 204],
			[6, "getOperation", 404],
		]);
		expect((await send("GET", op, undefined, { token })).status).toBe(404);
	});

	it("a reset right after reads takes their entries along; the new call's journal starts at 1", async () => {
		const token = uniqueCallId("journal-read-reset");
		const callId = uniqueCallId();
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(201);
		const stub = callObject(env, await tokenHashNamespace(token), callId);
		await runInDurableObject(stub, async (instance) => {
			const reads = [0, 1].map(() => instance.getOperation("op-1", getFacts(callId)));
			const reset = instance.reset();
			await Promise.all([...reads, reset]);
		});
		expect((await journalPage(token, callId)).value).toEqual([]);
		expect((await create(callId, { id: "op-2" }, { token })).status).toBe(201);
		const after = await journalPage(token, callId);
		expect(after.value.map((entry) => [entry.sequence, entry.route])).toEqual([[1, "createOperation"]]);
		expect((await send("DELETE", `${ORIGIN}/_stub/calls/${callId}`, undefined, { token })).status).toBe(204);
	});
});
