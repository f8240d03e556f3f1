import { describe, expect, it } from "vitest";
import { configure, newTester } from "../calls/helpers";
import { anotherHook, byJoinId, connect, joinCall, meetingAction, newMeeting, person, rosters } from "./helpers";

const AUDIO_VIDEO = [{ mediaType: "audio" }, { mediaType: "video", direction: "sendOnly", sourceId: "42" }];

describe("two bots in one meeting", { timeout: 20_000 }, () => {
	it("see the same roster changes in the same order, each through its own call's notifications", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { passcode: "pw", participants: [person("Alice", AUDIO_VIDEO)] });
		const second = anotherHook();
		const a = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId, "pw") });
		const b = await joinCall(tester, second.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId, "pw") });
		expect(a.chatInfo).toMatchObject({
			threadId: meeting.chatInfo.threadId,
			messageId: "0",
			replyChainMessageId: null,
		});
		await connect(tester, a.id);
		await connect(tester, b.id);
		// On connect, each has the whole roster: Alice with her streams, then both bots with theirs.
		const [firstA] = await rosters(tester.hook, 1);
		const alice = firstA?.[0]?.id ?? "";
		expect(firstA?.map((one) => one.id)).toEqual([alice, a.myParticipantId, b.myParticipantId]);
		expect(firstA?.[0]?.mediaStreams).toMatchObject([
			{ mediaType: "audio", label: "main-audio", direction: "sendReceive" },
			{ mediaType: "video", label: "main-video", direction: "sendOnly", sourceId: "42" },
		]);
		expect(firstA?.[1]).toMatchObject({
			info: { identity: { application: { "@odata.type": "#microsoft.graph.identity" } } },
			mediaStreams: [{ mediaType: "audio", direction: "sendReceive" }],
			isInLobby: false,
		});

		// Then every change, in the meeting's order, to both.
		const joined = await meetingAction(tester, "POST", `${meeting.id}/participants`, person("Carol"));
		expect(joined.status).toBe(201);
		const carol = ((await joined.json()) as { id: string }).id;
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/mute`)).status).toBe(200);
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants/Carol/startSharing`)).status).toBe(200);
		expect((await meetingAction(tester, "DELETE", `${meeting.id}/participants/${alice}`)).status).toBe(204);
		const seenA = await rosters(tester.hook, 5);
		const seenB = await rosters(second.hook, 5);
		expect(seenA).toEqual(seenB);
		const everyone = [alice, a.myParticipantId, b.myParticipantId, carol];
		expect(seenA.map((roster) => roster.map((one) => one.id))).toEqual([
			everyone.slice(0, 3),
			everyone,
			everyone,
			everyone,
			everyone.slice(1),
		]);
		expect(seenA[2]?.[0]?.isMuted).toBe(true);
		const sharing = seenA[3]?.[3]?.mediaStreams.find((s) => s.mediaType === "videoBasedScreenSharing");
		expect(sharing).toMatchObject({ direction: "sendOnly", label: "applicationsharing-video" });
		const numbers = seenA.map((roster) => Math.max(...roster.map((one) => one.rosterSequenceNumber)));
		expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
	});
});
