import { describe, expect, it, vi } from "vitest";
import {
	callUrl,
	configure,
	createCall,
	newTester,
	SERVICE_HOSTED,
	startIncoming,
	type Tester,
} from "../calls/helpers";
import { send } from "../helpers/graph";
import { anotherHook, byJoinId, connect, joinCall, meetingAction, newMeeting, notified, person } from "./helpers";

// Content sharing sessions of a meeting call: listed while someone shares, and `created`/`deleted`
// notifications for a bot that asked for them, in order with its roster notifications.

const WANTS_SHARING = { callOptions: { isContentSharingNotificationEnabled: true } };

const sessionsUrl = (callId: string, version = "v1.0") => `${callUrl(callId, version)}/contentSharingSessions`;

async function sessions(tester: Tester, callId: string, version = "v1.0") {
	const response = await send("GET", sessionsUrl(callId, version), undefined, { token: tester.token });
	expect(response.status, await response.clone().text()).toBe(200);
	return (await response.json()) as { "@odata.context": string; value: Record<string, unknown>[] };
}

/** What the bot heard on `hook` after its call was created: roster and content sharing, by kind. */
async function heard(hook: string, count: number) {
	let found: { kind: string; changeType: string; resourceUrl: string; resourceData: unknown }[] = [];
	await vi.waitFor(
		async () => {
			found = (await notified(hook))
				.filter((one) => !/\/calls\/[^/]+$/.test(one.resourceUrl))
				.map((one) => ({ ...one, kind: one.resourceUrl.split("/").at(-1) ?? "" }));
			expect(found.length).toBeGreaterThanOrEqual(count);
		},
		{ timeout: 10_000, interval: 20 },
	);
	return found;
}

/** A notification's resourceData as an array of items with an id. */
const items = (one: { resourceData: unknown } | undefined) => (one?.resourceData ?? []) as { id: string }[];

const shareStream = { mediaType: "videoBasedScreenSharing", direction: "sendOnly" };

describe("content sharing sessions", { timeout: 20_000 }, () => {
	it("are listed while someone shares, and a bot that asked hears created and deleted after the roster", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { participants: [person("Alice")] });
		const bot = await joinCall(tester, tester.callbackUri, {
			meetingInfo: byJoinId(meeting.joinMeetingId),
			...WANTS_SHARING,
		});
		await connect(tester, bot.id);
		await heard(tester.hook, 1); // the first roster
		expect((await sessions(tester, bot.id)).value).toEqual([]);

		expect((await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/startSharing`)).status).toBe(200);
		const started = await heard(tester.hook, 3);
		expect(started.map((one) => `${one.kind} ${one.changeType}`)).toEqual([
			"participants updated",
			"participants updated",
			"contentsharingsessions created",
		]);
		const created = started[2];
		expect(created?.resourceUrl).toBe(`/communications/calls/${bot.id}/contentsharingsessions`);
		const [session] = items(created);
		expect(created?.resourceData).toEqual([
			{ "@odata.type": "#microsoft.graph.contentSharingSession", id: session?.id },
		]);
		const sessionId = String(session?.id);

		// v1.0 serves `id` only; beta names the presenter.
		const listed = await sessions(tester, bot.id);
		expect(listed["@odata.context"]).toContain(`calls('${bot.id}')/contentSharingSessions`);
		expect(listed.value).toEqual([{ "@odata.type": "#microsoft.graph.contentSharingSession", id: sessionId }]);
		const alice = items(started[1])[0]?.id;
		expect((await sessions(tester, bot.id, "beta")).value).toEqual([
			{ "@odata.type": "#microsoft.graph.contentSharingSession", id: sessionId, presenterParticipantId: alice },
		]);
		const one = await send("GET", `${sessionsUrl(bot.id)}/${sessionId}`, undefined, { token: tester.token });
		expect(one.status).toBe(200);
		expect(await one.json()).toMatchObject({ "@odata.context": expect.stringContaining("/$entity"), id: sessionId });
		const unknown = await send("GET", `${sessionsUrl(bot.id)}/no-such-session`, undefined, { token: tester.token });
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toMatchObject({ error: { code: "itemNotFound" } });

		// Sharing again changes nothing; stopping ends the session, after the roster that shows it.
		await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/startSharing`);
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/stopSharing`)).status).toBe(200);
		const stopped = await heard(tester.hook, 5);
		expect(stopped.slice(3).map((one) => `${one.kind} ${one.changeType}`)).toEqual([
			"participants updated",
			"contentsharingsessions deleted",
		]);
		expect(stopped[4]?.resourceData).toEqual([
			{ "@odata.type": "#microsoft.graph.contentSharingSession", id: sessionId },
		]);
		expect((await sessions(tester, bot.id)).value).toEqual([]);

		// A new share is a new session.
		await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/startSharing`);
		const again = await heard(tester.hook, 7);
		const next = items(again[6])[0]?.id;
		expect(again[6]?.changeType).toBe("created");
		expect(next).not.toBe(sessionId);
	});

	it("ends when the presenter leaves; a bot that did not ask hears nothing of it but can list it", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { participants: [person("Alice"), person("Bob")] });
		const asked = anotherHook();
		const quiet = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		const loud = await joinCall(tester, asked.callbackUri, {
			meetingInfo: byJoinId(meeting.joinMeetingId),
			...WANTS_SHARING,
		});
		await connect(tester, quiet.id);
		await connect(tester, loud.id);
		await heard(asked.hook, 1);
		await meetingAction(tester, "POST", `${meeting.id}/participants/Bob/startSharing`);
		await heard(asked.hook, 3);
		expect((await sessions(tester, quiet.id)).value).toHaveLength(1);
		expect((await sessions(tester, loud.id)).value).toHaveLength(1);
		expect((await meetingAction(tester, "DELETE", `${meeting.id}/participants/Bob`)).status).toBe(204);
		const seen = await heard(asked.hook, 5);
		expect(seen.slice(3).map((one) => `${one.kind} ${one.changeType}`)).toEqual([
			"participants updated",
			"contentsharingsessions deleted",
		]);
		expect((await sessions(tester, quiet.id)).value).toEqual([]);
		// The quiet bot had its three rosters and nothing else.
		const quietHeard = await heard(tester.hook, 3);
		expect(quietHeard.map((one) => one.kind)).toEqual(["participants", "participants", "participants"]);
	});

	it("with the delta roster too: the delta that shows the share, then created", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { participants: [person("Alice"), person("Bob")] });
		const callOptions = { isDeltaRosterEnabled: true, isContentSharingNotificationEnabled: true };
		const bot = await joinCall(tester, tester.callbackUri, {
			meetingInfo: byJoinId(meeting.joinMeetingId),
			callOptions,
		});
		await connect(tester, bot.id);
		await heard(tester.hook, 1);
		await meetingAction(tester, "POST", `${meeting.id}/participants/Bob/startSharing`);
		await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/mute`);
		await meetingAction(tester, "POST", `${meeting.id}/participants/Bob/stopSharing`);
		const seen = await heard(tester.hook, 6);
		expect(seen.map((one) => `${one.kind} ${one.changeType} ${items(one).length}`)).toEqual([
			"participants updated 3",
			"participants updated 1",
			"contentsharingsessions created 1",
			"participants updated 1",
			"participants updated 1",
			"contentsharingsessions deleted 1",
		]);
		expect(items(seen[2])[0]?.id).toBe(items(seen[5])[0]?.id);
	});

	it("tells a bot joining while someone shares, right after its first roster", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, {
			participants: [person("Alice", [{ mediaType: "audio" }, shareStream])],
		});
		const bot = await joinCall(
			tester,
			tester.callbackUri,
			{ meetingInfo: byJoinId(meeting.joinMeetingId), ...WANTS_SHARING },
			"beta",
		);
		// Before it connects it lists the share already, and hears nothing of it yet.
		expect((await sessions(tester, bot.id, "beta")).value).toHaveLength(1);
		expect(
			await notified(tester.hook).then((all) => all.filter((one) => one.resourceUrl.endsWith("sessions"))),
		).toEqual([]);
		await connect(tester, bot.id);
		const seen = await heard(tester.hook, 2);
		expect(seen.map((one) => `${one.kind} ${one.changeType}`)).toEqual([
			"participants updated",
			"contentsharingsessions created",
		]);
		const alice = items(seen[0])[0]?.id;
		expect(seen[1]?.resourceData).toMatchObject([{ presenterParticipantId: alice }]); // beta: the presenter
	});

	it("a call outside a meeting has none; an unknown call is 404 8522-shaped", async () => {
		const tester = newTester();
		await configure(tester);
		const call = (await createCall(tester)) as { id: string };
		expect((await sessions(tester, call.id)).value).toEqual([]);
		const missing = await send("GET", sessionsUrl("no-such-call"), undefined, { token: tester.token });
		expect(missing.status).toBe(404);
		expect(await missing.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
	});
});

describe("the answer's callOptions", () => {
	it("are kept on the call, so an answered call asks for content sharing the way a join does", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await startIncoming(tester);
		const answer = { callbackUri: tester.callbackUri, mediaConfig: SERVICE_HOSTED, acceptedModalities: ["audio"] };
		const options = { "@odata.type": "#microsoft.graph.incomingCallOptions", ...WANTS_SHARING.callOptions };
		const answered = await send(
			"POST",
			`${callUrl(call.id)}/answer`,
			{ ...answer, callOptions: options },
			{
				token: tester.token,
			},
		);
		expect(answered.status).toBe(202);
		const read = await send("GET", callUrl(call.id), undefined, { token: tester.token });
		expect(await read.json()).toMatchObject({ callOptions: options });
	});
});
