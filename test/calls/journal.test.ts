import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { json, ORIGIN, send } from "../helpers/graph";
import { receivedAt } from "../simulation/helpers";
import { callStub, callUrl, configure, createCall, newTester, received, startIncoming } from "./helpers";

type JournalEntry = {
	sequence: number;
	operationId: string | null;
	resourceUrl?: string;
	changeType: string;
	state: string;
	payload: { value: { resource?: string; resourceData: { state?: string; status?: string } }[] };
};

const journalOf = async (token: string, callId: string) =>
	(await json(await send("GET", `${ORIGIN}/_stub/calls/${callId}/notifications`, undefined, { token })))
		.value as JournalEntry[];

describe("call notifications among operation notifications", () => {
	it("go out in one order with the call's operations, and the journal lists them all in sending order", async () => {
		const tester = newTester();
		// One webhook for both: the call's callbackUri and the configured one the operations notify.
		await configure(tester, {
			callbackUri: tester.callbackUri,
			progression: { default: [{ status: "Running", afterMs: 3_600_000 }] },
		});
		const call = await createCall(tester); // #1 establishing
		await received(tester, 1);
		const created = await send("POST", `${callUrl(call.id)}/operations`, { id: "op-1" }, { token: tester.token });
		expect(created.status).toBe(201);
		// The call's setup and the operation's step fall due together: the call's steps are applied first.
		await runInDurableObject(await callStub(tester, call.id), async (_, state) => {
			const now = Date.now();
			state.storage.sql.exec("UPDATE call_timers SET due_at = ? WHERE kind IN ('established', 'audioActive')", now);
			state.storage.sql.exec("UPDATE transitions SET due_at = ?", now);
			await state.storage.setAlarm(now);
		});
		await received(tester, 4);
		expect((await send("DELETE", callUrl(call.id), undefined, { token: tester.token })).status).toBe(204);
		await received(tester, 6);

		const sent = (await receivedAt(tester.hook)).map((one) => ({
			sequence: one.headers["x-stub-notification-sequence"],
			value: (JSON.parse(one.body) as JournalEntry["payload"]).value[0],
		}));
		expect(sent.map((one) => [one.sequence, one.value?.resourceData.state ?? one.value?.resourceData.status])).toEqual([
			["1", "establishing"],
			["2", "established"],
			["3", "established"],
			["4", "running"],
			["5", "terminating"],
			["6", "terminated"],
		]);
		// Every notification carries the legacy `resource` beside resourceUrl, the operation's as the call's.
		expect(sent[3]?.value?.resource).toBe(`/app/calls/${call.id}/operations/op-1`);
		expect(sent[0]?.value?.resource).toBe(`/app/calls/${call.id}`);

		// The stub records a delivery once the webhook's answer is in: wait for the last one.
		let journal: JournalEntry[] = [];
		await vi.waitFor(async () => {
			journal = await journalOf(tester.token, call.id);
			expect(journal.at(-1)?.state).toBe("delivered");
		});
		expect(journal.map((n) => [n.sequence, n.operationId, n.resourceUrl ?? null, n.changeType, n.state])).toEqual([
			[1, null, `/communications/calls/${call.id}`, "updated", "delivered"],
			[2, null, `/communications/calls/${call.id}`, "updated", "delivered"],
			[3, null, `/communications/calls/${call.id}`, "updated", "delivered"],
			[4, "op-1", null, "updated", "delivered"],
			[5, null, `/communications/calls/${call.id}`, "updated", "delivered"],
			[6, null, `/communications/calls/${call.id}`, "deleted", "delivered"],
		]);
	});
});

describe("/_stub/calls", () => {
	it("shows each call's state and direction; a call used only through operations has neither", async () => {
		const tester = newTester();
		await configure(tester);
		const outgoing = await createCall(tester);
		const incoming = await startIncoming(tester);
		await send("POST", `${callUrl("ops-only")}/operations`, {}, { token: tester.token });
		const listed = (await json(await send("GET", `${ORIGIN}/_stub/calls`, undefined, { token: tester.token })))
			.value as Record<string, unknown>[];
		const byId = Object.fromEntries(listed.map((call) => [call.callId, call]));
		expect(byId[outgoing.id]).toMatchObject({ state: "establishing", direction: "outgoing", operationCount: 0 });
		expect(byId[incoming.id]).toMatchObject({ state: "incoming", direction: "incoming" });
		expect(byId["ops-only"]).toMatchObject({ operationCount: 1 });
		expect(byId["ops-only"]).not.toHaveProperty("state");
	});

	it("a reset removes the call resource with the rest: GET is 404 8522 and its timers are gone", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await createCall(tester);
		expect((await send("DELETE", `${ORIGIN}/_stub/calls/${call.id}`, undefined, { token: tester.token })).status).toBe(
			204,
		);
		const response = await send("GET", callUrl(call.id), undefined, { token: tester.token });
		expect(response.status).toBe(404);
		const hangUp = await send("DELETE", callUrl(call.id), undefined, { token: tester.token });
		expect(hangUp.status).toBe(404);
	});
});
