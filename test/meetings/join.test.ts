import { describe, expect, it } from "vitest";
import { advance, callUrl, configure, newTester, received } from "../calls/helpers";
import { errorOf, send } from "../helpers/graph";
import { anotherHook, byJoinId, connect, joinCall, meetingAction, newMeeting, person, rosters } from "./helpers";

const organizer = { user: { id: "org-1", displayName: "Organizer", tenantId: "tenant-1" } };
const byOrganizer = (threadId: string) => ({
	chatInfo: { "@odata.type": "#microsoft.graph.chatInfo", threadId, messageId: "0" },
	meetingInfo: {
		"@odata.type": "#microsoft.graph.organizerMeetingInfo",
		organizer,
		allowConversationWithoutHost: true,
	},
});

/** The call's `deleted` notification after its failed setup. */
async function failedJoin(tester: ReturnType<typeof newTester>, callId: string) {
	await advance(tester, callId, "setupFailed");
	const all = await received(tester, 2);
	expect(all.map((one) => `${one.changeType}:${String(one.resourceData.state)}`)).toEqual([
		"updated:establishing",
		"deleted:terminated",
	]);
	return all[1]?.resourceData.resultInfo;
}

describe("joining a meeting", { timeout: 20_000 }, () => {
	it.each(["v1.0", "beta"])(
		"by joinMeetingId and passcode alone, with no chatInfo (%s): the answer carries the meeting's chatInfo",
		async (version) => {
			const tester = newTester();
			await configure(tester);
			const meeting = await newMeeting(tester, { joinMeetingId: "987654321012", passcode: "psw123" });
			const call = await joinCall(
				tester,
				tester.callbackUri,
				{ meetingInfo: byJoinId("987654321012", "psw123") },
				version,
			);
			expect(call).toMatchObject({
				state: "establishing",
				chatInfo: {
					"@odata.type": "#microsoft.graph.chatInfo",
					threadId: meeting.chatInfo.threadId,
					messageId: "0",
					replyChainMessageId: null,
				},
				meetingInfo: { joinMeetingId: "987654321012" },
			});
			const view = await (await meetingAction(tester, "GET", meeting.id)).json();
			expect(view).toMatchObject({ calls: [{ callId: call.id }], participants: [{ id: call.myParticipantId }] });
		},
	);

	it("with a wrong passcode: 201, then deleted, terminated 403; the meeting never lists the call", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { passcode: "right" });
		const call = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId, "wrong") });
		expect(call.chatInfo).toBeNull();
		expect(await failedJoin(tester, call.id)).toMatchObject({ code: 403, subcode: 2203 });
		expect(await (await meetingAction(tester, "GET", meeting.id)).json()).toMatchObject({
			calls: [],
			participants: [],
		});
	});

	it("with a joinMeetingId no meeting has: 201, then deleted, terminated 404", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId("5550001112") });
		expect(await failedJoin(tester, call.id)).toMatchObject({ code: 404, subcode: 2203 });
	});

	it("with the meeting's token, and not with a token the stub never issued", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester);
		const token = { "@odata.type": "#microsoft.graph.tokenMeetingInfo", token: meeting.tokenMeetingInfo.token };
		const joined = await joinCall(tester, tester.callbackUri, { meetingInfo: token });
		expect(joined.chatInfo).toMatchObject({ threadId: meeting.chatInfo.threadId });
		const other = anotherHook();
		const forged = { "@odata.type": "#microsoft.graph.tokenMeetingInfo", token: "not-a-token" };
		const refused = await joinCall(tester, other.callbackUri, { meetingInfo: forged });
		expect(refused.chatInfo).toBeNull();
	});

	it("by organizer and chatInfo makes the meeting (inferred) and a second bot joins the same one", async () => {
		const tester = newTester();
		await configure(tester);
		const threadId = `19:meeting_${crypto.randomUUID()}@thread.v2`;
		const second = anotherHook();
		const a = await joinCall(tester, tester.callbackUri, byOrganizer(threadId));
		const b = await joinCall(tester, second.callbackUri, byOrganizer(threadId));
		expect(a.chatInfo).toMatchObject({ threadId });
		await connect(tester, b.id);
		const [roster] = await rosters(second.hook, 1);
		expect(roster?.map((one) => one.id)).toEqual([a.myParticipantId, b.myParticipantId]);
		const view = await (await meetingAction(tester, "GET", encodeURIComponent(threadId))).json();
		expect(view).toMatchObject({ createdBy: "join", organizer: { user: { id: "org-1" } }, joinMeetingId: null });
	});

	it("by organizer needs chatInfo.threadId; a meetingInfo of no known kind, or without its required member, is named", async () => {
		const tester = newTester();
		const base = {
			callbackUri: tester.callbackUri,
			mediaConfig: { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
		};
		const post = (extra: Record<string, unknown>) =>
			send("POST", `https://stub.test/v1.0/communications/calls`, { ...base, ...extra }, { token: tester.token });
		const noChat = await post({ meetingInfo: byOrganizer("19:x@thread.v2").meetingInfo });
		expect(noChat.status).toBe(400);
		expect((await errorOf(noChat)).error.details?.map((d) => d.target)).toEqual(["chatInfo.threadId"]);
		const bad = await post({
			meetingInfo: { "@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo", passcode: 5 },
			requestedModalities: ["smell"],
		});
		expect(bad.status).toBe(400);
		expect((await errorOf(bad)).error.details?.map((d) => d.target).sort()).toEqual(
			["meetingInfo.passcode", "requestedModalities[0]"].sort(),
		);
		const missing = await post({ meetingInfo: { "@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo" } });
		expect((await errorOf(missing)).error.details?.map((d) => d.target)).toEqual(["meetingInfo.joinMeetingId"]);
		const unknown = await post({ meetingInfo: { "@odata.type": "#microsoft.graph.meetingInfo" } });
		expect((await errorOf(unknown)).error.details?.map((d) => d.target)).toEqual(["meetingInfo.@odata.type"]);
	});

	it("late: a bot that joins after others sees everyone already there with the streams they send", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, {
			participants: [
				person("Alice", [
					{ mediaType: "audio" },
					{ mediaType: "video" },
					{ mediaType: "videoBasedScreenSharing", direction: "sendOnly" },
				]),
			],
		});
		const a = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await connect(tester, a.id);
		// A's first roster before Bob joins: on a slow machine the meeting's first fan-out to A can lag
		// past Bob's join, and A then (rightly) gets one whole roster with Bob in it instead of two.
		await rosters(tester.hook, 1);
		await meetingAction(
			tester,
			"POST",
			`${meeting.id}/participants`,
			person("Bob", [{ mediaType: "audio" }, { mediaType: "data" }]),
		);
		const seenByA = (await rosters(tester.hook, 2))[1] ?? [];
		const late = anotherHook();
		const b = await joinCall(tester, late.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await connect(tester, b.id);
		const [first] = await rosters(late.hook, 1);
		expect(first?.slice(0, 3)).toEqual(seenByA);
		expect(first?.[3]?.id).toBe(b.myParticipantId);
		const sources = (first ?? []).flatMap((one) => one.mediaStreams.map((stream) => stream.sourceId));
		expect(new Set(sources).size).toBe(sources.length);
		expect(first?.[0]?.mediaStreams.map((s) => s.label)).toEqual([
			"main-audio",
			"main-video",
			"applicationsharing-video",
		]);
		// GET …/participants answers the same roster the call last had.
		const listed = await send("GET", `${callUrl(b.id)}/participants`, undefined, { token: tester.token });
		expect(((await listed.json()) as { value: unknown[] }).value).toEqual(first);
	});
});
