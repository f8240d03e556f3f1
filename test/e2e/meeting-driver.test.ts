import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeetingParticipant, StubNotification } from "../../scripts/cli/api.ts";
import { driver } from "../../scripts/cli/driver.ts";
import { startReceiver } from "../receiver/notification-receiver.ts";
import { postJson, type RunningStub, startStub } from "./helpers/stub.ts";

// The test driver's meeting helpers (scripts/cli/meeting-driver.ts) against the served stub, as
// startStub() builds them: every /_stub/meetings control, and waitFor() on a roster change of a bot's
// call. The package's fresh-project test (test/package) runs the same helpers from the packed tarball.

const TOKEN = "e2e-meeting-driver";
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let served: RunningStub;
let stub: ReturnType<typeof driver>;
beforeAll(async () => {
	receiver = await startReceiver();
	served = await startStub();
	stub = driver({ url: served.base, token: TOKEN, ca: undefined });
	await stub.configure({ calling: { setupMs: 50 } }, { replace: true });
});
afterAll(async () => {
	await served?.dispose();
	await new Promise<void>((resolve) => receiver?.server.close(() => resolve()));
});

const person = (key: string, kind: "user" | "guest", name: string) => ({
	key,
	identity: { [kind]: { id: `${key}-id`, displayName: name } },
});
const nameOf = (p: MeetingParticipant) =>
	p.info.identity.user?.displayName ?? p.info.identity.guest?.displayName ?? "bot";
const digits = () => String(Math.floor(Math.random() * 1e12)).padStart(12, "1");

/** A bot's call joining the meeting of `joinMeetingId` (its notifications go to the receiver). */
async function botJoins(joinMeetingId: string, passcode: string | null) {
	const answer = await postJson(
		`${served.base}/v1.0/communications/calls`,
		{
			callbackUri: `${receiver.url}/bot-${crypto.randomUUID()}`,
			requestedModalities: ["audio"],
			mediaConfig: { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
			meetingInfo: { "@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo", joinMeetingId, passcode },
		},
		TOKEN,
	);
	expect(answer.status).toBe(201);
	return (await answer.json()) as { id: string; myParticipantId: string };
}

/** The newest roster notification of the call that `matches`. */
const rosterWhere =
	(matches: (roster: MeetingParticipant[]) => boolean) =>
	(t: { notifications: StubNotification[] }): MeetingParticipant[] | undefined =>
		t.notifications.findLast((n) => n.roster !== null && matches(n.roster))?.roster ?? undefined;

describe("the driver's meeting helpers", () => {
	it("create, view and roster; the far side's controls; waitFor on the bot's roster; delete", async () => {
		const made = await stub.createMeeting({
			joinMeetingId: digits(),
			passcode: "psw123",
			participants: [{ ...person("alice", "user", "Alice"), streams: [{ mediaType: "audio" }] }],
		});
		expect(made).toMatchObject({
			passcode: "psw123",
			participants: [{ info: { identity: { user: { displayName: "Alice" } } } }],
		});
		const meeting = stub.meeting(made); // by the meeting, or by its id
		expect(meeting.id).toBe(made.id);
		expect(stub.meeting(made.id).id).toBe(made.id);

		const call = await botJoins(String(made.joinMeetingId), "psw123");
		const first = await stub.waitFor(
			call.id,
			rosterWhere((r) => r.length === 2),
		);
		expect(first.map(nameOf)).toEqual(["Alice", "bot"]);
		expect((await meeting.view())?.calls.map((c) => c.callId)).toEqual([call.id]);

		// Someone joins: the helper answers their participant; the bot's call is told, with Bob's sourceId.
		const bob = await meeting.join({ ...person("bob", "guest", "Bob"), streams: [{ mediaType: "audio" }] });
		expect(bob.info.identity.guest?.displayName).toBe("Bob");
		const bobSource = bob.mediaStreams[0]?.sourceId;
		expect(bobSource).toMatch(/^\d+$/);
		const told = await stub.waitFor(
			call.id,
			rosterWhere((r) => r.some((p) => nameOf(p) === "Bob")),
		);
		expect(told.find((p) => nameOf(p) === "Bob")?.mediaStreams.map((s) => s.sourceId)).toEqual([bobSource]);
		expect(await meeting.roster()).toEqual(told);

		// Each action by its helper, by key or by participant id; each answers the participant as changed.
		expect((await meeting.mute("alice")).isMuted).toBe(true);
		expect((await meeting.unmute(bob.id)).isMuted).toBe(false); // Bob was not muted: nothing changes
		expect((await meeting.unmute("alice")).isMuted).toBe(false);
		const video = (p: MeetingParticipant) => p.mediaStreams.find((s) => s.mediaType === "video")?.direction;
		expect(video(await meeting.startVideo("bob"))).toBe("sendReceive");
		expect(video(await meeting.stopVideo("bob"))).toBe("receiveOnly");
		const screen = (p: MeetingParticipant) => p.mediaStreams.find((s) => s.mediaType === "videoBasedScreenSharing");
		const sharing = screen(await meeting.startSharing("alice"));
		expect(sharing).toMatchObject({ direction: "sendOnly", label: "applicationsharing-video" });
		const shared = await stub.waitFor(
			call.id,
			rosterWhere((r) => r.some((p) => screen(p)?.direction === "sendOnly")),
		);
		expect(shared.map((p) => screen(p)?.sourceId).filter(Boolean)).toEqual([sharing?.sourceId]);
		expect(screen(await meeting.stopSharing("alice"))?.direction).toBe("receiveOnly");
		expect((await meeting.act("alice", "mute")).isMuted).toBe(true);

		// notifications() lifts the roster the same way: null on the call's own notifications.
		const notifications = await stub.notifications(call.id);
		expect(notifications.filter((n) => n.callState !== null).every((n) => n.roster === null)).toBe(true);
		expect(notifications.filter((n) => n.roster !== null).length).toBeGreaterThanOrEqual(8);

		await meeting.leave("bob");
		await stub.waitFor(
			call.id,
			rosterWhere((r) => r.length === 2 && !r.some((p) => nameOf(p) === "Bob")),
		);
		await expect(meeting.leave("bob")).rejects.toThrow(/answered 404/);
		await expect(meeting.leave(call.myParticipantId)).rejects.toThrow(/answered 400/); // the bot hangs up instead
		await expect(meeting.join({ identity: {} })).rejects.toThrow(/answered 400: .*identity/);

		await meeting.delete();
		expect(await meeting.view()).toBeUndefined();
		await expect(meeting.roster()).rejects.toThrow(/answered 404/);
		await expect(meeting.delete()).rejects.toThrow(/answered 404/);
		await stub.waitFor(call.id, (t) => t.call?.state === "terminated");
	});

	it("admit() lets someone in from the lobby", async () => {
		const made = await stub.createMeeting({ lobby: { enabled: true } });
		const meeting = stub.meeting(made.id);
		expect((await meeting.join(person("guest", "guest", "Gail"))).isInLobby).toBe(true);
		expect((await meeting.admit("guest")).isInLobby).toBe(false);
		expect((await meeting.roster()).map((p) => p.isInLobby)).toEqual([false]);
		await meeting.delete();
	});
});
