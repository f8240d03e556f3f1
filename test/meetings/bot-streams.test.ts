import { describe, expect, it, vi } from "vitest";
import { callUrl, configure, newTester } from "../calls/helpers";
import { json, ORIGIN, send } from "../helpers/graph";
import { byJoinId, joinCall, meetingAction, newMeeting, type Participant, person } from "./helpers";

// A bot's own participant in a meeting has one stream per modality it asked for: a modality named twice
// in requestedModalities (the schema takes the array as sent) is one stream, not two "main-audio"
// streams with different sourceIds that a bot mapping sourceIds to people would take for two sources.

const APP_HOSTED = { "@odata.type": "#microsoft.graph.appHostedMediaConfig", blob: "<media session blob>" };

const kinds = (one: Participant | undefined) => one?.mediaStreams.map((s) => `${s.mediaType} ${s.direction}`);

async function roster(tester: ReturnType<typeof newTester>, meetingId: string) {
	const response = await meetingAction(tester, "GET", meetingId);
	return ((await json(response)) as unknown as { participants: Participant[] }).participants;
}

describe("a bot's streams in a meeting", () => {
	it("a joining bot that names a modality twice sends it once", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { participants: [person("Alice")] });
		const call = await joinCall(tester, tester.callbackUri, {
			meetingInfo: byJoinId(meeting.joinMeetingId),
			requestedModalities: ["audio", "audio", "video", "video"],
		});
		const bot = (await roster(tester, meeting.id)).find((one) => one.id === call.myParticipantId);
		expect(kinds(bot)).toEqual(["audio sendReceive", "video sendReceive"]);
	});

	it("a compliance recorder rung with a modality named twice receives it once", async () => {
		const tester = newTester();
		await configure(tester);
		const started = await send(
			"POST",
			`${ORIGIN}/_stub/compliance-calls`,
			{
				callbackUri: tester.callbackUri,
				participants: [person("alice"), person("bob")],
				requestedModalities: ["audio", "audio", "audio"],
			},
			{ token: tester.token },
		);
		expect(started.status, await started.clone().text()).toBe(201);
		const made = (await json(started)) as unknown as { id: string; recorder: { callId: string } };
		const body = { callbackUri: tester.callbackUri, acceptedModalities: ["audio"], mediaConfig: APP_HOSTED };
		const answered = await send("POST", `${callUrl(made.recorder.callId)}/answer`, body, { token: tester.token });
		expect(answered.status).toBe(202);
		let recorder: Participant | undefined;
		await vi.waitFor(
			async () => {
				recorder = (await roster(tester, made.id))[2];
				expect(recorder).toBeDefined();
			},
			{ timeout: 10_000, interval: 20 },
		);
		expect(kinds(recorder)).toEqual(["audio receiveOnly"]);
	});
});
