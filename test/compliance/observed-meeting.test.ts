import { describe, expect, it, vi } from "vitest";
import { advance, callUrl, configure, newTester, received, type Tester } from "../calls/helpers";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { anotherHook, byJoinId, connect, joinCall, names, newMeeting, person, rosters } from "../meetings/helpers";

// POST /_stub/compliance-calls with `meeting`: a meeting the tester made (with a bot already in it) is the
// observed call; the recorder is rung for the person named, joins that meeting's roster, and every bot
// already joined sees it come in and report its recording status.

const COMPLIANCE = `${ORIGIN}/_stub/compliance-calls`;
const APP_HOSTED = { "@odata.type": "#microsoft.graph.appHostedMediaConfig", blob: "<media session blob>" };
const post = (tester: Tester, body: unknown) => send("POST", COMPLIANCE, body, { token: tester.token });
type Roster = Awaited<ReturnType<typeof rosters>>[number];
const recordingOf = (roster: Roster | undefined, id: string) =>
	(roster?.find((one) => one.id === id) as { recordingInfo?: { recordingStatus?: string } } | undefined)?.recordingInfo
		?.recordingStatus;

describe("a compliance recording of a meeting the tester made", () => {
	it("rings the recorder for the person named; the bots in the meeting see it join and record", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { participants: [person("alice"), person("bob")] });
		// A meeting bot already in it, on its own webhook.
		const other = anotherHook();
		const joined = await joinCall(tester, other.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await connect(tester, joined.id);
		await rosters(other.hook, 1);

		const response = await post(tester, { callbackUri: tester.callbackUri, meeting: meeting.id, observedKey: "alice" });
		expect(response.status, await response.clone().text()).toBe(201);
		const started = (await json(response)) as {
			id: string;
			kind: string;
			observedParticipantId: string;
			recorder: { callId: string };
		};
		expect(started).toMatchObject({ id: meeting.id, kind: "meeting" });
		const alice = meeting.participants.find((one) => one.info.identity.user?.id === "alice-id");
		expect(started.observedParticipantId).toBe(alice?.id);
		const [created] = await received(tester, 1);
		const invite = created?.resourceData as { myParticipantId: string; incomingContext: unknown };
		expect(invite.incomingContext).toMatchObject({ observedParticipantId: alice?.id });

		const answered = await send(
			"POST",
			`${callUrl(started.recorder.callId)}/answer`,
			{ callbackUri: tester.callbackUri, acceptedModalities: ["audio"], mediaConfig: APP_HOSTED },
			{ token: tester.token },
		);
		expect(answered.status).toBe(202);
		await advance(tester, started.recorder.callId, "established", "audioActive");
		// The bot already in the meeting sees the recorder come in …
		const withRecorder = await vi.waitFor(
			async () => {
				const found = (await rosters(other.hook, 2)).find((roster) =>
					roster.some((one) => one.id === invite.myParticipantId),
				);
				expect(found).toBeDefined();
				return found;
			},
			{ timeout: 10_000, interval: 20 },
		);
		expect(names(withRecorder ?? [])).toHaveLength(4);
		// … and report that it records.
		const status = await send(
			"POST",
			`${callUrl(started.recorder.callId)}/updateRecordingStatus`,
			{ status: "recording" },
			{ token: tester.token },
		);
		expect(status.status).toBe(200);
		await vi.waitFor(
			async () => expect(recordingOf((await rosters(other.hook, 3)).at(-1), invite.myParticipantId)).toBe("recording"),
			{ timeout: 10_000, interval: 20 },
		);
		const view = await json(await send("GET", `${COMPLIANCE}/${meeting.id}`, undefined, { token: tester.token }));
		expect(view).toMatchObject({ recorder: { state: "joined", recordingStatus: "recording" } });

		// One recording per meeting.
		const again = await post(tester, { callbackUri: tester.callbackUri, meeting: meeting.id, observedKey: "bob" });
		expect(again.status).toBe(409);
	});

	it("names every wrong field: participants with meeting, no observedKey, another kind; a stranger; an unknown meeting", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { participants: [person("alice"), person("bob")] });
		const both = await post(tester, {
			meeting: meeting.id,
			participants: [person("x"), person("y")],
			kind: "oneToOne",
		});
		expect(both.status).toBe(400);
		expect((await errorOf(both)).error.details?.map((d) => d.target).sort()).toEqual([
			"kind",
			"observedKey",
			"participants",
		]);
		const neither = await post(tester, { callbackUri: tester.callbackUri });
		expect((await errorOf(neither)).error.details?.map((d) => d.target)).toEqual(["participants"]);
		const stranger = await post(tester, { callbackUri: tester.callbackUri, meeting: meeting.id, observedKey: "zed" });
		expect(stranger.status).toBe(400);
		expect((await errorOf(stranger)).error.details?.map((d) => d.target)).toEqual(["observedKey"]);
		const unknown = await post(tester, {
			callbackUri: tester.callbackUri,
			meeting: "00000000-0000-4000-8000-000000000000",
			observedKey: "alice",
		});
		expect(unknown.status).toBe(404);
		// Nothing was started: the meeting has no recording.
		expect((await send("GET", `${COMPLIANCE}/${meeting.id}`, undefined, { token: tester.token })).status).toBe(404);
	});
});
