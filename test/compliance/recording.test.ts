import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { advance, callStub, callUrl, configure, newTester, received, type Tester } from "../calls/helpers";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { meetingRows, type Participant, person, rosters } from "../meetings/helpers";

// Compliance recording: POST /_stub/compliance-calls makes the observed call (a meeting object) and rings
// the recording bot with the incoming context pointing at the observed person; the bot answers with
// app-hosted media and joins the observed call's roster; the recording policy decides what a missing
// recorder does; hang-ups on either side reach the other.

const COMPLIANCE = `${ORIGIN}/_stub/compliance-calls`;
const APP_HOSTED = { "@odata.type": "#microsoft.graph.appHostedMediaConfig", blob: "<media session blob>" };

type View = {
	id: string;
	kind: string;
	state: string;
	endedReason: string | null;
	observedParticipantId: string;
	recorder: { callId: string; state: string; recordingStatus: string | null };
	participants: Participant[];
	events: { event: string }[];
};

const alice = person("alice", [
	{ mediaType: "audio", sourceId: "11" },
	{ mediaType: "video", sourceId: "12" },
]);
const bob = person("bob", [{ mediaType: "audio", sourceId: "21" }]);

async function start(tester: Tester, body: Record<string, unknown> = {}) {
	const response = await send(
		"POST",
		COMPLIANCE,
		{ callbackUri: tester.callbackUri, participants: [alice, bob], observedKey: "alice", ...body },
		{ token: tester.token },
	);
	expect(response.status, await response.clone().text()).toBe(201);
	return (await json(response)) as unknown as View;
}

const view = async (tester: Tester, id: string) =>
	(await json(await send("GET", `${COMPLIANCE}/${id}`, undefined, { token: tester.token }))) as unknown as View;

async function answer(tester: Tester, callId: string) {
	const body = { callbackUri: tester.callbackUri, acceptedModalities: ["audio"], mediaConfig: APP_HOSTED };
	const response = await send("POST", `${callUrl(callId)}/answer`, body, { token: tester.token });
	expect(response.status).toBe(202);
}

const until = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

/** The recorder's call's `deleted` notification, once it has come. */
async function ended(tester: Tester) {
	let deleted: Record<string, unknown> | undefined;
	await until(async () => {
		deleted = (await received(tester, 1)).find((one) => one.changeType === "deleted")?.resourceData;
		expect(deleted).toBeDefined();
	});
	return deleted as { state: string; resultInfo: { code: number; subcode: number } };
}

describe("POST /_stub/compliance-calls: the recording bot is rung for the observed person", () => {
	it("rings with incomingContext, tokenMeetingInfo and botData; answered, the bot gets both people's streams", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await start(tester);
		expect(started).toMatchObject({ kind: "oneToOne", state: "establishing", recorder: { state: "ringing" } });
		const observed = started.participants.find((one) => one.id === started.observedParticipantId);
		expect(observed?.info.identity.user?.id).toBe("alice-id");

		const [created] = await received(tester, 1);
		const call = created?.resourceData as Record<string, unknown>;
		expect(created?.changeType).toBe("created");
		expect(call).toMatchObject({
			id: started.recorder.callId,
			state: "incoming",
			direction: "incoming",
			source: { id: observed?.id, identity: { user: { id: "alice-id" } } },
			targets: [{ identity: { applicationInstance: { identityProvider: "AAD" } } }],
			meetingInfo: { "@odata.type": "#microsoft.graph.tokenMeetingInfo" },
			incomingContext: { sourceParticipantId: observed?.id, observedParticipantId: observed?.id },
			applicationMetadata: {
				botData: {
					inviteReasons: ["PolicyBasedRecording"],
					policyIdentifier: "Test Policy",
					otherSideUser: { id: "bob-id", participationMethod: "callee" },
				},
			},
		});
		expect(call.chatInfo ?? null).toBeNull(); // the policy-recording example has none

		await answer(tester, started.recorder.callId);
		expect(await view(tester, started.id)).toMatchObject({ state: "established", recorder: { state: "joined" } });
		await advance(tester, started.recorder.callId, "established", "audioActive");
		const [roster] = await rosters(tester.hook, 1);
		const streams = (key: string) =>
			roster
				?.find((one) => one.info.identity.user?.id === `${key}-id`)
				?.mediaStreams.map((stream) => `${stream.mediaType}:${stream.sourceId}`);
		expect(streams("alice")).toEqual(["audio:11", "video:12"]);
		expect(streams("bob")).toEqual(["audio:21"]);
		const me = roster?.find((one) => one.id === (call.myParticipantId as string));
		expect(me?.mediaStreams.map((stream) => stream.direction)).toEqual(["receiveOnly"]);

		const status = await send(
			"POST",
			`${callUrl(started.recorder.callId)}/updateRecordingStatus`,
			{ status: "recording", clientContext: "c-1" },
			{ token: tester.token },
		);
		expect(status.status).toBe(200);
		await until(async () => expect((await view(tester, started.id)).recorder.recordingStatus).toBe("recording"));
	});

	it("the observed call hangs up: the recorder's call ends 200/5002 and the people leave", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await start(tester);
		await answer(tester, started.recorder.callId);
		const hangUp = await send("POST", `${COMPLIANCE}/${started.id}/hangup`, undefined, { token: tester.token });
		expect(hangUp.status).toBe(200);
		const after = (await json(hangUp)) as unknown as View;
		expect(after).toMatchObject({ state: "terminated", endedReason: "hungUp" });
		expect(after.participants.filter((one) => one.info.identity.user)).toEqual([]); // both people left
		expect((await ended(tester)).resultInfo).toMatchObject({ code: 200, subcode: 5002 });
		await until(async () => expect((await view(tester, started.id)).participants).toEqual([])); // and the bot
		const again = await send("POST", `${COMPLIANCE}/${started.id}/hangup`, undefined, { token: tester.token });
		expect(again.status).toBe(409);
	});

	it("the bot hangs up: it leaves the observed call's roster; RequiredDuringCall ends the call", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await start(tester);
		await answer(tester, started.recorder.callId);
		await advance(tester, started.recorder.callId, "established", "audioActive");
		const gone = await send("DELETE", callUrl(started.recorder.callId), undefined, { token: tester.token });
		expect(gone.status).toBe(204);
		await until(async () =>
			expect(await view(tester, started.id)).toMatchObject({
				state: "terminated",
				endedReason: "recorderLeft",
				recorder: { state: "left" },
				participants: [],
			}),
		);
	});

	it("RequiredDuringCall false: the bot hangs up and the call goes on unrecorded", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await start(tester, { policy: { requiredDuringCall: false } });
		await answer(tester, started.recorder.callId);
		await send("DELETE", callUrl(started.recorder.callId), undefined, { token: tester.token });
		await until(async () => expect((await view(tester, started.id)).recorder.state).toBe("left"));
		const after = await view(tester, started.id);
		expect(after.state).toBe("established");
		expect(after.participants.map((one) => one.info.identity.user?.id)).toEqual(["alice-id", "bob-id"]);
	});
});

describe("the observed call ends while the recorder still rings", () => {
	it("hung up: the ringing call ends 200/5002", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await start(tester);
		const hangUp = await send("POST", `${COMPLIANCE}/${started.id}/hangup`, undefined, { token: tester.token });
		expect(hangUp.status).toBe(200);
		expect((await ended(tester)).resultInfo).toMatchObject({ code: 200, subcode: 5002 });
		await until(async () => expect((await view(tester, started.id)).recorder.state).toBe("left"));
	});

	it("its meeting deleted: the bot's late answer ends its call 200/5002, and nothing is left", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await start(tester);
		const gone = await send("DELETE", `${ORIGIN}/_stub/meetings/${started.id}`, undefined, { token: tester.token });
		expect(gone.status).toBe(204);
		await answer(tester, started.recorder.callId);
		expect((await ended(tester)).resultInfo).toMatchObject({ code: 200, subcode: 5002 });
		const read = await send("GET", `${COMPLIANCE}/${started.id}`, undefined, { token: tester.token });
		expect(read.status).toBe(404);
	});
});

describe("a recorder that does not answer, or does not record, in time", () => {
	it("no answer in time: its call ends 408/1106 and RequiredBeforeCallEstablishment cancels the call", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await start(tester);
		await advance(tester, started.recorder.callId, "answerTimeout");
		expect((await ended(tester)).resultInfo).toMatchObject({ code: 408, subcode: 1106 });
		await until(async () =>
			expect(await view(tester, started.id)).toMatchObject({
				state: "terminated",
				endedReason: "recorderDidNotJoin",
				participants: [],
			}),
		);
	});

	it("the answer window is the policy's 5 s unless configured", async () => {
		const tester = newTester();
		await configure(tester);
		const before = Date.now();
		const started = await start(tester);
		const [timer] = await meetingRows(tester, started.id, "SELECT body FROM compliance_recording");
		expect(JSON.parse(String(timer?.body))).toMatchObject({ answerTimeoutMs: 5000, recordingTimeoutMs: null });
		const due = await runInDurableObject(await callStub(tester, started.recorder.callId), (_, state) =>
			state.storage.sql.exec<{ due_at: number }>("SELECT due_at FROM call_timers WHERE kind = 'answerTimeout'").one(),
		);
		expect(due.due_at - before).toBeGreaterThanOrEqual(5000);
		expect(due.due_at - before).toBeLessThan(6000);
	});

	it("a meeting, no recording by the deadline: RequiredDuringMeeting ejects only the observed person", async () => {
		const tester = newTester();
		await configure(tester);
		const carol = person("carol");
		const started = await start(tester, {
			kind: "meeting",
			participants: [alice, bob, carol],
			recordingTimeoutMs: 1000,
		});
		await answer(tester, started.recorder.callId);
		await advance(tester, started.recorder.callId, "established", "audioActive", "recordingDeadline");
		expect((await ended(tester)).resultInfo).toMatchObject({ code: 200, subcode: 5002 });
		await until(async () => {
			const after = await view(tester, started.id);
			expect(after).toMatchObject({ state: "terminated", endedReason: "recordingNotStarted" });
			expect(after.participants.map((one) => one.info.identity.user?.id)).toEqual(["bob-id", "carol-id"]);
		});
	});

	it("recording reported before the deadline: the deadline passes quietly", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await start(tester, { recordingTimeoutMs: 1000 });
		await answer(tester, started.recorder.callId);
		await advance(tester, started.recorder.callId, "established", "audioActive");
		await until(async () => expect((await received(tester, 3)).length).toBeGreaterThanOrEqual(3));
		const status = await send(
			"POST",
			`${callUrl(started.recorder.callId)}/updateRecordingStatus`,
			{ status: "recording" },
			{ token: tester.token },
		);
		expect(status.status).toBe(200);
		await advance(tester, started.recorder.callId, "recordingDeadline");
		await until(async () => expect((await view(tester, started.id)).recorder.recordingStatus).toBe("recording"));
		const after = await view(tester, started.id);
		expect(after.state).toBe("established");
		expect(after.events.map((one) => one.event)).not.toContain("recordingNotStarted");
	});
});

describe("bad input and namespaces", () => {
	it("names every failing field in one 400 and makes nothing", async () => {
		const tester = newTester();
		await configure(tester);
		const response = await send(
			"POST",
			COMPLIANCE,
			{
				callbackUri: tester.callbackUri,
				participants: [alice, bob, person("carol")],
				observedKey: "dave",
				policy: { requiredDuringCall: "yes" },
				answerTimeoutMs: -1,
				extra: 1,
			},
			{ token: tester.token },
		);
		expect(response.status).toBe(400);
		const targets = (await errorOf(response)).error.details?.map((detail) => detail.target);
		expect(targets).toEqual(["policy.requiredDuringCall", "answerTimeoutMs", "extra", "participants", "observedKey"]);
		const semantic = await send(
			"POST",
			COMPLIANCE,
			{ callbackUri: tester.callbackUri, participants: [alice, bob, person("carol")], observedKey: "dave" },
			{ token: tester.token },
		);
		expect((await errorOf(semantic)).error.details?.map((detail) => detail.target)).toEqual([
			"participants",
			"observedKey",
		]);
		const calls = await json(await send("GET", `${ORIGIN}/_stub/calls`, undefined, { token: tester.token }));
		expect(calls.value).toEqual([]);
	});

	it("another namespace cannot read or hang up a compliance call", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await start(tester);
		const other = newTester("other");
		for (const [method, path] of [
			["GET", `${COMPLIANCE}/${started.id}`],
			["POST", `${COMPLIANCE}/${started.id}/hangup`],
		] as const) {
			const response = await send(method, path, undefined, { token: other.token });
			expect(response.status).toBe(404);
		}
		expect((await view(tester, started.id)).state).toBe("establishing");
	});
});
