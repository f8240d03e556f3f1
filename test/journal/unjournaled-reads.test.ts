import { describe, expect, it } from "vitest";
import { create, json, ORIGIN, operationsUrl, send, uniqueCallId } from "../helpers/graph";
import { journalPage, routesOf } from "./helpers";

// requestJournal.reads: false — a call that keeps no GET in its journal (a read then writes nothing),
// for a tester who needs reads at the floor more than a record of them.

describe("requestJournal.reads", () => {
	it("false: the call's GETs are answered as ever and not journaled; its writes still are", async () => {
		const token = uniqueCallId("quiet-reads");
		const callId = uniqueCallId();
		const put = await send(
			"PUT",
			`${ORIGIN}/_stub/calls/${callId}/config`,
			{ requestJournal: { reads: false } },
			{ token },
		);
		expect(put.status).toBe(200);
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(201);
		const got = await send("GET", `${operationsUrl(callId)}/op-1`, undefined, { token });
		expect(got.status).toBe(200);
		expect(await json(got)).toMatchObject({ id: "op-1" });
		expect((await send("GET", operationsUrl(callId), undefined, { token })).status).toBe(200);
		expect((await send("GET", `${operationsUrl(callId)}/nope`, undefined, { token })).status).toBe(404);
		expect((await send("PATCH", `${operationsUrl(callId)}/op-1`, { status: "Completed" }, { token })).status).toBe(200);
		expect(routesOf(await journalPage(token, callId))).toEqual(["patchOperation", "createOperation"]);
	});

	it("from the namespace's configuration too; true (the default) journals them", async () => {
		const token = uniqueCallId("quiet-namespace");
		const [quiet, loud] = [uniqueCallId(), uniqueCallId()];
		expect((await send("PUT", `${ORIGIN}/_stub/config`, { requestJournal: { reads: false } }, { token })).status).toBe(
			200,
		);
		const own = await send(
			"PUT",
			`${ORIGIN}/_stub/calls/${loud}/config`,
			{ requestJournal: { reads: true } },
			{ token },
		);
		expect(own.status).toBe(200);
		for (const callId of [quiet, loud]) {
			expect((await create(callId, { id: "op-1" }, { token })).status).toBe(201);
			expect((await send("GET", `${operationsUrl(callId)}/op-1`, undefined, { token })).status).toBe(200);
		}
		expect(routesOf(await journalPage(token, quiet))).toEqual(["createOperation"]);
		expect(routesOf(await journalPage(token, loud))).toEqual(["getOperation", "createOperation"]);
	});

	it("refuses anything but a boolean, naming the field", async () => {
		const token = uniqueCallId("quiet-bad");
		const response = await send("PUT", `${ORIGIN}/_stub/config`, { requestJournal: { reads: "no" } }, { token });
		expect(response.status).toBe(400);
		expect(JSON.stringify(await json(response))).toContain("requestJournal.reads");
	});
});
