import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { configure, newTester, type Tester } from "../calls/helpers";
import { errorOf, send } from "../helpers/graph";
import {
	byJoinId,
	connect,
	joinCall,
	meetingAction,
	meetingStub,
	meetingsUrl,
	newMeeting,
	person,
	rosters,
} from "./helpers";

const HOUR = 3_600_000;

/** Moves the meeting's script to start now (keeping its steps' spacing) and wakes its alarm. */
async function runScript(tester: Tester, meetingId: string) {
	await runInDurableObject(await meetingStub(tester, meetingId), async (_, state) => {
		const now = Date.now();
		state.storage.sql.exec(
			"UPDATE meeting_script SET due_at = ? + due_at - (SELECT MIN(due_at) FROM meeting_script) WHERE state = 'pending'",
			now,
		);
		await state.storage.setAlarm(now);
	});
}

describe("a meeting's script", { timeout: 20_000 }, () => {
	it("plays the far side in time order, unattended, to every joined call", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, {
			participants: [person("Alice")],
			script: [
				{ atMs: HOUR + 3, action: "leave", key: "Bob" },
				{ atMs: HOUR, action: "join", person: person("Bob", [{ mediaType: "audio" }, { mediaType: "video" }]) },
				{ atMs: HOUR + 1, action: "startSharing", key: "Bob" },
				{ atMs: HOUR + 2, action: "mute", key: "Alice" },
			],
		});
		const call = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await connect(tester, call.id);
		await rosters(tester.hook, 1);
		await runScript(tester, meeting.id);
		const seen = (await rosters(tester.hook, 5)).slice(1);
		const summary = (roster: (typeof seen)[number]) =>
			roster.map(
				(one) =>
					`${one.info.identity.user?.displayName ?? "bot"}${one.isMuted ? " muted" : ""} ${one.mediaStreams.map((s) => s.mediaType).join("+")}`,
			);
		expect(seen.map(summary)).toEqual([
			["Alice audio", "bot audio", "Bob audio+video"],
			["Alice audio", "bot audio", "Bob audio+video+videoBasedScreenSharing"],
			["Alice muted audio", "bot audio", "Bob audio+video+videoBasedScreenSharing"],
			["Alice muted audio", "bot audio"],
		]);
		await vi.waitFor(async () =>
			expect(await (await meetingAction(tester, "GET", meeting.id)).json()).toMatchObject({
				script: { done: 4, pending: 0, skipped: [] },
			}),
		);
	});

	it("skips a step the meeting cannot take when it comes (full), and says why", async () => {
		const tester = newTester();
		const meeting = await newMeeting(tester, {
			maxParticipants: 1,
			participants: [person("Alice")],
			script: [{ atMs: HOUR, action: "join", person: person("Bob") }],
		});
		await runScript(tester, meeting.id);
		await vi.waitFor(async () =>
			expect(await (await meetingAction(tester, "GET", meeting.id)).json()).toMatchObject({
				script: { done: 0, pending: 0, skipped: [{ index: 0, message: "The meeting holds at most 1 participants." }] },
			}),
		);
	});

	it("with scriptStartsWhen botJoins, waits for the first bot's call and counts atMs from its joining", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, {
			participants: [person("Alice")],
			scriptStartsWhen: "botJoins",
			script: [{ atMs: 50, action: "join", person: person("Bob") }],
		});
		const view = async () => (await (await meetingAction(tester, "GET", meeting.id)).json()) as { script: unknown };
		// No bot yet: the step waits, and the meeting's alarm is not set for it (only for its idle expiry, hours away).
		expect((await view()).script).toEqual({ done: 0, pending: 1, skipped: [], waitingForBot: true });
		await runInDurableObject(await meetingStub(tester, meeting.id), async (_, state) => {
			expect((await state.storage.getAlarm()) ?? Number.POSITIVE_INFINITY).toBeGreaterThan(Date.now() + HOUR);
		});
		const call = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await connect(tester, call.id);
		// Bob joins 50 ms after the bot's call joined, however long after the meeting was made that was.
		const seen = await rosters(tester.hook, 2);
		expect(seen.map((roster) => roster.map((one) => one.info.identity.user?.displayName ?? "bot"))).toEqual([
			["Alice", "bot"],
			["Alice", "bot", "Bob"],
		]);
		await vi.waitFor(async () => expect((await view()).script).toEqual({ done: 1, pending: 0, skipped: [] }));
		const bad = await send("POST", meetingsUrl, { scriptStartsWhen: "later" }, { token: tester.token });
		expect((await errorOf(bad)).error.details?.map((d) => d.target)).toEqual(["scriptStartsWhen"]);
	});

	it("is checked whole: a key no one has by then, a key joined twice, a bad action, more than 1000 steps", async () => {
		const tester = newTester();
		const post = (body: unknown) => send("POST", meetingsUrl, body, { token: tester.token });
		const keys = await post({
			participants: [person("Alice")],
			script: [
				{ atMs: 10, action: "mute", key: "Bob" },
				{ atMs: 20, action: "join", person: person("Bob") },
				{ atMs: 30, action: "join", person: person("Alice") },
				{ atMs: 40, action: "leave", key: "Alice" },
				{ atMs: 50, action: "unmute", key: "Alice" },
			],
		});
		expect(keys.status).toBe(400);
		expect((await errorOf(keys)).error.details?.map((d) => d.target)).toEqual([
			"script[0].key",
			"script[2].person.key",
			"script[4].key",
		]);
		const shapes = await post({
			script: [
				{ atMs: -1, action: "dance", key: "x" },
				{ atMs: 0, action: "join" },
			],
		});
		expect(shapes.status).toBe(400);
		expect((await errorOf(shapes)).error.details?.map((d) => d.target)).toEqual([
			"script[0].action",
			"script[1].person",
		]);
		const long = await post({
			participants: [person("A")],
			script: Array.from({ length: 1001 }, () => ({ atMs: 0, action: "mute", key: "A" })),
		});
		expect(long.status).toBe(400);
		expect((await errorOf(long)).error.details?.map((d) => d.target)).toEqual(["script"]);
	});
});
