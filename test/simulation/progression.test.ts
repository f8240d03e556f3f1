import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { create, json, operationsUrl, send, uniqueCallId } from "../helpers/graph";
import { callStub, fastForward, notificationOf, putCallConfig, receivedAt, receiverUrl } from "./helpers";

const TOKEN = "sim-token";
// Long delays, so that no real alarm fires during a test: tests make steps due with fastForward().
const SCRIPT = [
	{ status: "Running", afterMs: 200_000 },
	{ status: "Completed", afterMs: 1_000_000, resultInfo: { code: 200, subcode: 0, message: "done" } },
];

async function configuredCall(hook: string, progression: object = { default: SCRIPT }) {
	const callId = uniqueCallId("sim");
	const response = await putCallConfig(callId, {
		callbackUri: `${receiverUrl()}${hook}`,
		callbackToken: "bot-secret",
		progression,
	});
	expect(response.status).toBe(200);
	return callId;
}

const transitionsOf = async (callId: string) =>
	runInDurableObject(await callStub(callId), (_, state) =>
		state.storage.sql
			.exec<{ due_at: number; step: string }>("SELECT due_at, step FROM transitions ORDER BY id")
			.toArray(),
	);

describe("status progression", () => {
	it("schedules the script's steps after a create, each afterMs after the one before, and arms the alarm", async () => {
		const callId = await configuredCall("/hook-schedule");
		const before = Date.now();
		await create(callId, { id: "op" }, { token: TOKEN });
		const transitions = await transitionsOf(callId);
		expect(transitions.map((t) => JSON.parse(t.step).status)).toEqual(["Running", "Completed"]);
		const [running, completed] = transitions.map((t) => t.due_at);
		expect((running ?? 0) - before).toBeGreaterThanOrEqual(200_000);
		expect((completed ?? 0) - (running ?? 0)).toBe(1_000_000);
		const alarm = await runInDurableObject(await callStub(callId), (_, state) => state.storage.getAlarm());
		expect(alarm).toBe(running);
	});

	it("moves the operation along on the alarm and notifies the bot in Graph's shape, in order", async () => {
		const hook = `/hook-${uniqueCallId()}`;
		const callId = await configuredCall(hook);
		await create(callId, { id: "op-1", "@odata.type": "#microsoft.graph.playPromptOperation" }, { token: TOKEN });
		await fastForward(callId);

		const operation = await json(await send("GET", `${operationsUrl(callId)}/op-1`, undefined, { token: TOKEN }));
		expect(operation).toMatchObject({ status: "Completed", resultInfo: { code: 200, subcode: 0, message: "done" } });

		const received = await receivedAt(hook);
		expect(received).toHaveLength(2);
		const [first, second] = received.map(notificationOf);
		expect(first).toEqual({
			"@odata.type": "#microsoft.graph.commsNotifications",
			value: [
				{
					"@odata.type": "#microsoft.graph.commsNotification",
					changeType: "updated",
					resource: `/app/calls/${callId}/operations/op-1`,
					resourceUrl: `/communications/calls/${callId}/operations/op-1`,
					resourceData: expect.objectContaining({
						"@odata.type": "#microsoft.graph.playPromptOperation",
						"@odata.id": `/communications/calls/${callId}/operations/op-1`,
						id: "op-1",
						status: "running",
					}),
				},
			],
		});
		expect(second?.value[0]).toMatchObject({ changeType: "deleted", resourceData: { status: "completed" } });
		const headers = received.map((r) => r.headers);
		expect(headers.map((h) => h["x-stub-notification-sequence"])).toEqual(["1", "2"]);
		expect(headers[0]).toMatchObject({ "content-type": "application/json", authorization: "Bearer bot-secret" });
		expect(headers[0]?.["user-agent"]).toMatch(/^Microsoft-Skype\/3\.0,\(Calling\/1\.0\) graph-comms-stub\//);
		expect(headers[0]?.["scenario-id"]).toMatch(/^[0-9a-f-]{36}$/);
		expect(headers[1]?.["scenario-id"]).toBe(headers[0]?.["scenario-id"]);
	});

	it("applies only the steps due so far", async () => {
		const hook = `/hook-${uniqueCallId()}`;
		const callId = await configuredCall(hook);
		await create(callId, { id: "op" }, { token: TOKEN });
		await runInDurableObject(await callStub(callId), (_, state) => {
			state.storage.sql.exec("UPDATE transitions SET due_at = 0 WHERE id = (SELECT MIN(id) FROM transitions)");
		});
		const { runDurableObjectAlarm } = await import("cloudflare:test");
		await runDurableObjectAlarm(await callStub(callId));
		expect((await json(await send("GET", `${operationsUrl(callId)}/op`, undefined, { token: TOKEN }))).status).toBe(
			"Running",
		);
		expect(await transitionsOf(callId)).toHaveLength(1);
		expect(await receivedAt(hook)).toHaveLength(1);
	});

	it("starts from the operation's own status and picks the script of its type", async () => {
		const callId = await configuredCall(`/hook-${uniqueCallId()}`, {
			default: SCRIPT,
			byType: {
				"#microsoft.graph.recordOperation": [
					{ status: "Failed", afterMs: 60_000, resultInfo: { code: 400, subcode: 8508 } },
				],
			},
		});
		await create(callId, { id: "running", status: "Running" }, { token: TOKEN });
		await create(callId, { id: "rec", "@odata.type": "#microsoft.graph.recordOperation" }, { token: TOKEN });
		await create(callId, { id: "done", status: "Completed" }, { token: TOKEN });
		const steps = (await transitionsOf(callId)).map((t) => JSON.parse(t.step).status);
		expect(steps).toEqual(["Completed", "Failed"]);
		await fastForward(callId);
		const rec = await json(await send("GET", `${operationsUrl(callId)}/rec`, undefined, { token: TOKEN }));
		expect(rec).toMatchObject({ status: "Failed", resultInfo: { code: 400, subcode: 8508 } });
	});

	it("re-plans after a patch and drops the plan of a deleted operation", async () => {
		const callId = await configuredCall(`/hook-${uniqueCallId()}`);
		await create(callId, { id: "a" }, { token: TOKEN });
		await create(callId, { id: "b" }, { token: TOKEN });
		await send("PATCH", `${operationsUrl(callId)}/a`, { status: "Running" }, { token: TOKEN });
		await send("DELETE", `${operationsUrl(callId)}/b`, undefined, { token: TOKEN });
		const steps = (await transitionsOf(callId)).map((t) => JSON.parse(t.step).status);
		expect(steps).toEqual(["Completed"]);
	});

	it("keeps the schedule through an eviction: nothing lives only in memory", async () => {
		const hook = `/hook-${uniqueCallId()}`;
		const callId = await configuredCall(hook);
		await create(callId, { id: "op" }, { token: TOKEN });
		await evictDurableObject(await callStub(callId));
		expect(await transitionsOf(callId)).toHaveLength(2);
		await fastForward(callId);
		expect((await json(await send("GET", `${operationsUrl(callId)}/op`, undefined, { token: TOKEN }))).status).toBe(
			"Completed",
		);
		expect(await receivedAt(hook)).toHaveLength(2);
	});

	it("moves nothing without a script (today's behaviour)", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "op" }, { token: TOKEN });
		expect(await transitionsOf(callId)).toEqual([]);
	});
});
