import { describe, expect, it } from "vitest";
import { advance, configure, newTester, received } from "../calls/helpers";
import { errorOf, send } from "../helpers/graph";
import { anotherHook, byJoinId, joinCall, meetingAction, meetingsUrl, newMeeting, person } from "./helpers";

const targets = async (response: Response) => (await errorOf(response)).error.details?.map((d) => d.target).sort();

describe("a meeting's bounds and bad input", { timeout: 20_000 }, () => {
	it("names every failing field of a new meeting in one 400, and stores nothing", async () => {
		const tester = newTester();
		const response = await send(
			"POST",
			meetingsUrl,
			{
				joinMeetingId: "12ab",
				lobby: { enabled: "yes" },
				participants: [{ identity: {} }, { identity: { user: { id: "u" } }, streams: [{ mediaType: "smell" }] }],
				maxCalls: 21,
				colour: "blue",
			},
			{ token: tester.token },
		);
		expect(response.status).toBe(400);
		expect(await targets(response)).toEqual(
			[
				"colour",
				"joinMeetingId",
				"lobby.enabled",
				"maxCalls",
				"participants[0].identity",
				"participants[1].streams[0].mediaType",
			].sort(),
		);
	});

	it("refuses a second meeting with the same joinMeetingId, a key used twice and a sourceId taken", async () => {
		const tester = newTester();
		await newMeeting(tester, { joinMeetingId: "111222333" });
		expect((await send("POST", meetingsUrl, { joinMeetingId: "111222333" }, { token: tester.token })).status).toBe(409);
		const twice = await send(
			"POST",
			meetingsUrl,
			{ participants: [person("A"), person("A")] },
			{ token: tester.token },
		);
		expect(twice.status).toBe(400);
		expect((await errorOf(twice)).error.message).toContain("participants[1].key");
		const meeting = await newMeeting(tester, { participants: [person("A", [{ mediaType: "audio", sourceId: "7" }])] });
		const clash = await meetingAction(
			tester,
			"POST",
			`${meeting.id}/participants`,
			person("B", [{ mediaType: "video", sourceId: "7" }]),
		);
		expect(clash.status).toBe(400);
		const view = (await (await meetingAction(tester, "GET", meeting.id)).json()) as { participants: unknown[] };
		expect(view.participants).toHaveLength(1);
	});

	it("holds at most maxParticipants people and maxCalls calls; a join beyond is refused (inferred 403/2204)", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { maxParticipants: 3, maxCalls: 1, participants: [person("A")] });
		const over = await send(
			"POST",
			meetingsUrl,
			{ maxParticipants: 1, participants: [person("X"), person("Y")] },
			{ token: tester.token },
		);
		expect(over.status).toBe(400);
		await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		const second = anotherHook();
		const refused = await joinCall(tester, second.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await advance(tester, refused.id, "setupFailed");
		expect(refused.chatInfo).toBeNull();
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants`, person("B"))).status).toBe(201);
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants`, person("C"))).status).toBe(400);
		const view = (await (await meetingAction(tester, "GET", meeting.id)).json()) as {
			participants: unknown[];
			calls: unknown[];
		};
		expect(view.participants).toHaveLength(3);
		expect(view.calls).toHaveLength(1);
		expect(await received(tester, 1)).toHaveLength(1); // the first call's own notifications only
	});

	it("answers 404 for a meeting or a person it does not have", async () => {
		const tester = newTester();
		const meeting = await newMeeting(tester);
		expect((await meetingAction(tester, "GET", crypto.randomUUID())).status).toBe(404);
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants/nobody/mute`)).status).toBe(404);
		expect((await meetingAction(tester, "DELETE", `${meeting.id}/participants/nobody`)).status).toBe(404);
	});
});

describe("namespaces", { timeout: 20_000 }, () => {
	it("never see each other's meetings: not by id, not by joinMeetingId", async () => {
		const owner = newTester("owner");
		const stranger = newTester("stranger");
		await configure(stranger);
		const meeting = await newMeeting(owner, { joinMeetingId: "444555666" });
		expect((await meetingAction(stranger, "GET", meeting.id)).status).toBe(404);
		expect((await meetingAction(stranger, "POST", `${meeting.id}/participants`, person("Eve"))).status).toBe(404);
		expect((await meetingAction(stranger, "DELETE", meeting.id)).status).toBe(404);
		const call = await joinCall(stranger, stranger.callbackUri, { meetingInfo: byJoinId("444555666") });
		expect(call.chatInfo).toBeNull();
		// The stranger may make a meeting with the same joinMeetingId in its own namespace.
		await newMeeting(stranger, { joinMeetingId: "444555666" });
		const view = (await (await meetingAction(owner, "GET", meeting.id)).json()) as {
			participants: unknown[];
			calls: unknown[];
		};
		expect(view).toMatchObject({ participants: [], calls: [] });
	});
});
