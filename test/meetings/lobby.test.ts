import { describe, expect, it, vi } from "vitest";
import { configure, newTester, timersOf } from "../calls/helpers";
import {
	anotherHook,
	byJoinId,
	connect,
	joinCall,
	meetingAction,
	newMeeting,
	notified,
	person,
	rosters,
} from "./helpers";

const guest = (name: string) => ({ key: name, identity: { guest: { id: `${name}-id`, displayName: name } } });

describe("a meeting's lobby", { timeout: 20_000 }, () => {
	it("keeps guests and bots waiting (isInLobby) until admitted; an admitted bot's call goes on to established", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, {
			lobby: { enabled: true, bypass: "organization", timeoutMs: 3_600_000 },
			participants: [person("Alice"), guest("Gina")],
		});
		expect(meeting.participants.map((one) => one.isInLobby)).toEqual([false, true]);
		const second = anotherHook();
		const a = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		const b = await joinCall(tester, second.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		// Waiting: no setup scheduled, nothing but `establishing` heard.
		expect((await timersOf(tester, a.id)).map((timer) => timer.kind)).not.toContain("established");
		const admitted = await meetingAction(tester, "POST", `${meeting.id}/participants/${a.myParticipantId}/admit`);
		expect(admitted.status).toBe(200);
		expect(await admitted.json()).toMatchObject({ id: a.myParticipantId, isInLobby: false });
		await connect(tester, a.id);
		const [first] = await rosters(tester.hook, 1);
		expect(first?.map((one) => [one.id, one.isInLobby])).toEqual([
			[meeting.participants[0]?.id, false],
			[meeting.participants[1]?.id, true],
			[a.myParticipantId, false],
			[b.myParticipantId, true],
		]);
		await meetingAction(tester, "POST", `${meeting.id}/participants/Gina/admit`);
		const [, next] = await rosters(tester.hook, 2);
		expect(next?.[1]?.isInLobby).toBe(false);
		// Admitting someone already in changes nothing and sends nothing.
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants/Gina/admit`)).status).toBe(200);
		expect(await notified(second.hook)).toHaveLength(1); // b still waits: establishing only
	});

	it("removes a bot left waiting past the lobby timeout: its call ends 200/5855 and it leaves the roster", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { lobby: { enabled: true, bypass: "organizer", timeoutMs: 200 } });
		const call = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await vi.waitFor(
			async () =>
				expect((await notified(tester.hook)).at(-1)).toMatchObject({
					changeType: "deleted",
					resourceData: { state: "terminated", resultInfo: { code: 200, subcode: 5855 } },
				}),
			{ timeout: 10_000, interval: 50 },
		);
		const view = await (await meetingAction(tester, "GET", meeting.id)).json();
		expect(view).toMatchObject({ participants: [], calls: [] });
		expect(call.id).toBeTruthy();
	});

	it("lets everyone in with bypass everyone", async () => {
		const tester = newTester();
		const meeting = await newMeeting(tester, {
			lobby: { enabled: true, bypass: "everyone" },
			participants: [guest("Gina"), { identity: { phone: { id: "+15550100" } } }],
		});
		expect(meeting.participants.map((one) => one.isInLobby)).toEqual([false, false]);
	});
});
