import { describe, expect, it } from "vitest";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import {
	advance,
	callUrl,
	configure,
	newTester,
	received,
	SERVICE_HOSTED,
	startIncoming,
	statesOf,
	TARGET,
	type Tester,
	timersOf,
} from "./helpers";

const answerBody = (callbackUri: string) => ({
	callbackUri,
	mediaConfig: SERVICE_HOSTED,
	acceptedModalities: ["audio"],
});

const post = (tester: Tester, url: string, body?: unknown) => send("POST", url, body, { token: tester.token });

describe("POST /_stub/incoming-calls", () => {
	it("rings the bot: 201 with the call, and a `created` notification with state incoming", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await startIncoming(tester, { tenantId: "tenant-1" });
		expect(call).toMatchObject({
			state: "incoming",
			direction: "incoming",
			tenantId: "tenant-1",
			requestedModalities: ["audio"],
		});
		const [created] = await received(tester, 1);
		expect(created).toMatchObject({
			changeType: "created",
			resource: `/app/calls/${call.id}`,
			resourceUrl: `/communications/calls/${call.id}`,
			resourceData: {
				"@odata.type": "#microsoft.graph.call",
				state: "incoming",
				direction: "incoming",
				id: call.id,
				source: { identity: { user: { displayName: "Test User" } } },
				targets: [{ identity: { application: { displayName: "Calling Bot" } } }],
			},
		});
		expect((await timersOf(tester, call.id)).map((t) => t.kind)).toEqual(["answerTimeout"]);
	});

	it("notifies the namespace's configured callbackUri when the request names none; with neither, 400", async () => {
		const tester = newTester();
		const refused = await post(tester, `${ORIGIN}/_stub/incoming-calls`, {});
		expect(refused.status).toBe(400);
		expect((await json(await send("GET", `${ORIGIN}/_stub/calls`, undefined, { token: tester.token }))).value).toEqual(
			[],
		);
		await configure(tester, { callbackUri: tester.callbackUri });
		const response = await post(tester, `${ORIGIN}/_stub/incoming-calls`);
		expect(response.status).toBe(201);
		const [created] = await received(tester, 1);
		expect(created?.changeType).toBe("created");
	});

	it("refuses unknown fields and bad values, naming them", async () => {
		const tester = newTester();
		const response = await post(tester, `${ORIGIN}/_stub/incoming-calls`, {
			callbackUri: tester.callbackUri,
			answerTimeout: 5,
			requestedModalities: ["smell"],
		});
		expect(response.status).toBe(400);
		const targets = (await errorOf(response)).error.details?.map((d) => d.target);
		expect(targets).toEqual(expect.arrayContaining(["answerTimeout", "requestedModalities[0]"]));
	});
});

describe("answer, reject, redirect and the answer timeout", () => {
	it("answer: 202 without a body; then establishing, established, +audio to the answer's callbackUri", async () => {
		const tester = newTester();
		const answering = newTester("answer");
		await configure(tester);
		const call = await startIncoming(tester);
		const response = await post(tester, `${callUrl(call.id)}/answer`, answerBody(answering.callbackUri));
		expect(response.status).toBe(202);
		expect(await response.text()).toBe("");
		await advance(tester, call.id, "established", "audioActive");
		const heard = await received(answering, 3);
		expect(statesOf(heard)).toEqual(["updated:establishing", "updated:established", "updated:established"]);
		expect(heard[2]?.resourceData).toMatchObject({
			callbackUri: answering.callbackUri,
			mediaState: { audio: "active" },
		});
		expect(statesOf(await received(tester, 1))).toEqual(["created:incoming"]);
		const got = await json(await send("GET", callUrl(call.id), undefined, { token: tester.token }));
		expect(got).toMatchObject({
			state: "established",
			callbackUri: answering.callbackUri,
			mediaConfig: SERVICE_HOSTED,
		});
		expect((await timersOf(tester, call.id)).map((t) => t.kind)).toEqual(["keepAliveExpired"]);
	});

	it("answer refuses a body without callbackUri or mediaConfig, and app-hosted media without its blob (8523)", async () => {
		const tester = newTester();
		const call = await startIncoming(tester);
		const missing = await post(tester, `${callUrl(call.id)}/answer`, {});
		expect(missing.status).toBe(400);
		expect((await errorOf(missing)).error.details?.map((d) => d.target)).toEqual(["callbackUri", "mediaConfig"]);
		const appHosted = await post(tester, `${callUrl(call.id)}/answer`, {
			callbackUri: tester.callbackUri,
			mediaConfig: { "@odata.type": "#microsoft.graph.appHostedMediaConfig" },
		});
		expect((await errorOf(appHosted)).error).toMatchObject({
			code: "8523",
			message: "Missing mediaConfig information.",
		});
		const still = await json(await send("GET", callUrl(call.id), undefined, { token: tester.token }));
		expect(still.state).toBe("incoming");
	});

	it("reject: 202; then `deleted` carrying only the call's type and id; then 404", async () => {
		const tester = newTester();
		const call = await startIncoming(tester);
		expect((await post(tester, `${callUrl(call.id)}/reject`, { reason: "busy" })).status).toBe(202);
		const [, deleted] = await received(tester, 2);
		expect(deleted).toEqual({
			"@odata.type": "#microsoft.graph.commsNotification",
			changeType: "deleted",
			resource: `/app/calls/${call.id}`,
			resourceUrl: `/communications/calls/${call.id}`,
			resourceData: { "@odata.type": "#microsoft.graph.call", "@odata.id": `/communications/calls/${call.id}` },
		});
		expect((await send("GET", callUrl(call.id), undefined, { token: tester.token })).status).toBe(404);
	});

	it("reject refuses an unknown reason", async () => {
		const tester = newTester();
		const call = await startIncoming(tester);
		const response = await post(tester, `${callUrl(call.id)}/reject`, { reason: "sleeping" });
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error.details?.[0]?.target).toBe("reason");
	});

	it("redirect: 202; then `deleted`, terminated; it needs targets and a timeout of 15–90 s", async () => {
		const tester = newTester();
		const call = await startIncoming(tester);
		const bad = await post(tester, `${callUrl(call.id)}/redirect`, { timeout: 5 });
		expect((await errorOf(bad)).error.details?.map((d) => d.target)).toEqual(["targets", "timeout"]);
		expect((await post(tester, `${callUrl(call.id)}/redirect`, { targets: [TARGET], timeout: 20 })).status).toBe(202);
		expect(statesOf(await received(tester, 2))).toEqual(["created:incoming", "deleted:terminated"]);
	});

	it("an unanswered call ends after the answer timeout: deleted, terminated 408/1106", async () => {
		const tester = newTester();
		await configure(tester, { calling: { answerTimeoutMs: 3_600_000 } });
		const call = await startIncoming(tester);
		const [timer] = await timersOf(tester, call.id);
		expect((timer?.due_at ?? 0) - Date.now()).toBeGreaterThan(3_500_000); // the configured timeout, not 15 s
		await advance(tester, call.id, "answerTimeout");
		const heard = await received(tester, 2);
		expect(statesOf(heard)).toEqual(["created:incoming", "deleted:terminated"]);
		expect(heard[1]?.resourceData.resultInfo).toMatchObject({ code: 408, subcode: 1106 });
		expect((await post(tester, `${callUrl(call.id)}/answer`, answerBody(tester.callbackUri))).status).toBe(404);
	});

	it("the request's answerTimeoutMs wins over the configuration", async () => {
		const tester = newTester();
		await configure(tester, { calling: { answerTimeoutMs: 3_600_000 } });
		const call = await startIncoming(tester, { answerTimeoutMs: 1_000_000 });
		const [timer] = await timersOf(tester, call.id);
		expect((timer?.due_at ?? 0) - Date.now()).toBeLessThanOrEqual(1_000_000);
	});
});

describe("the far side hangs up", () => {
	it("ends an established call: deleted, terminated 200/5002 by default", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await startIncoming(tester);
		await post(tester, `${callUrl(call.id)}/answer`, answerBody(tester.callbackUri));
		const response = await post(tester, `${ORIGIN}/_stub/calls/${call.id}/hangup`);
		expect(response.status).toBe(202);
		const heard = await received(tester, 3);
		expect(statesOf(heard)).toEqual(["created:incoming", "updated:establishing", "deleted:terminated"]);
		expect(heard[2]?.resourceData.resultInfo).toMatchObject({ code: 200, subcode: 5002 });
		expect(await timersOf(tester, call.id)).toEqual([]);
	});

	it("with the resultInfo the tester gives; 404 8522 once the call is gone", async () => {
		const tester = newTester();
		const call = await startIncoming(tester);
		const resultInfo = { code: 200, subcode: 18503, message: "The other participant left." };
		expect((await post(tester, `${ORIGIN}/_stub/calls/${call.id}/hangup`, { resultInfo })).status).toBe(202);
		const heard = await received(tester, 2);
		expect(heard[1]?.resourceData.resultInfo).toEqual({ "@odata.type": "#microsoft.graph.resultInfo", ...resultInfo });
		const again = await post(tester, `${ORIGIN}/_stub/calls/${call.id}/hangup`);
		expect((await errorOf(again)).error.code).toBe("8522");
	});
});

describe("aliases", () => {
	it("reaches the same handlers with …/microsoft.graph.answer and under /app/calls", async () => {
		const tester = newTester();
		const call = await startIncoming(tester);
		const qualified = await post(tester, `${callUrl(call.id)}/microsoft.graph.answer`, answerBody(tester.callbackUri));
		expect(qualified.status).toBe(202);
		const app = `${ORIGIN}/v1.0/app/calls/${call.id}`;
		expect(await json(await send("GET", app, undefined, { token: tester.token }))).toMatchObject({
			state: "establishing",
		});
		expect((await post(tester, `${app}/keepAlive`)).status).toBe(200);
		expect((await send("DELETE", app, undefined, { token: tester.token })).status).toBe(204);
		expect(statesOf(await received(tester, 4))).toEqual([
			"created:incoming",
			"updated:establishing",
			"updated:terminating",
			"deleted:terminated",
		]);
	});
});
