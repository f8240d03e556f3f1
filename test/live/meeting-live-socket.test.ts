import { listDurableObjectIds } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { MeetingLive } from "../../src/objects/meeting/meeting-live";
import { HISTORY_CHANGES } from "../../src/objects/meeting/roster-store";
import type { Timeline } from "../../src/objects/timeline/timeline";
import { configure, newTester, type Tester } from "../calls/helpers";
import { ORIGIN } from "../helpers/graph";
import { byJoinId, joinCall, meetingAction, meetingRows, newMeeting, person } from "../meetings/helpers";

// GET /_stub/meetings/{id}/live: the meeting's object pushes its roster, joined calls and the roster's
// history (the newest changes of its change log, in words) at once and on every change.

async function watch<T>(path: string, token: string) {
	const response = await exports.default.fetch(`${ORIGIN}${path}?access_token=${token}`, {
		headers: { Upgrade: "websocket" },
	});
	expect(response.status).toBe(101);
	const socket = response.webSocket;
	if (!socket) throw new Error("no WebSocket");
	const received: T[] = [];
	let wake: (() => void) | undefined;
	socket.addEventListener("message", (event) => {
		received.push(JSON.parse(String(event.data)) as T);
		wake?.();
	});
	socket.accept();
	/** The next message that satisfies `test` (bounded by the test's own timeout). */
	const next = async (test: (message: T) => boolean) => {
		for (;;) {
			const found = received.find(test);
			if (found) return found;
			await new Promise<void>((resolve) => {
				wake = resolve;
			});
		}
	};
	return { socket, next, received };
}

const watchMeeting = (tester: Tester, meetingId: string) =>
	watch<MeetingLive>(`/_stub/meetings/${meetingId}/live`, tester.token);

const said = (live: MeetingLive) => live.history.events.map((e) => `#${e.seq} ${e.name} ${e.what.join("+")}`);

describe("the live meeting socket", { timeout: 20_000 }, () => {
	it("sends the roster at once, then pushes each change in order, in words, with its sequence number", async () => {
		const tester = newTester("live-meeting");
		const meeting = await newMeeting(tester, {
			subject: "Standup",
			participants: [person("Alice", [{ mediaType: "audio", sourceId: "7" }])],
		});
		const live = await watchMeeting(tester, meeting.id);
		const first = await live.next((m) => m.exists);
		expect(first).toMatchObject({ meetingId: meeting.id, subject: "Standup", rosterSequenceNumber: 1 });
		expect(said(first)).toEqual(["#1 Alice joined"]);

		const bob = person("Bob", [{ mediaType: "audio" }, { mediaType: "video" }]);
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants`, bob)).status).toBe(201);
		// Pushed as it happens: Bob is in before the next step is taken.
		expect((await live.next((m) => m.rosterSequenceNumber === 2)).participants).toHaveLength(2);
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/startSharing`)).status).toBe(200);
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants/Bob/mute`)).status).toBe(200);
		expect((await meetingAction(tester, "DELETE", `${meeting.id}/participants/Bob`)).status).toBe(204);
		const last = await live.next((m) => m.rosterSequenceNumber === 5);
		expect(said(last)).toEqual([
			"#1 Alice joined",
			"#2 Bob joined",
			"#3 Alice startedSharing",
			"#4 Bob muted",
			"#5 Bob left",
		]);
		expect(
			last.participants.map((p) => p.mediaStreams.map((s) => `${s.mediaType} ${s.sourceId} ${s.direction}`)),
		).toEqual([
			[
				"audio 7 sendReceive",
				`videoBasedScreenSharing ${last.history.events[2]?.participant.mediaStreams[1]?.sourceId} sendOnly`,
			],
		]);
		expect(last.history.events[1]?.participant.mediaStreams.map((s) => s.mediaType)).toEqual(["audio", "video"]);

		expect((await meetingAction(tester, "DELETE", meeting.id)).status).toBe(204);
		await live.next((m) => !m.exists && m.meetingId === meeting.id);
		live.socket.close();
	});

	it("says who waits in the lobby and is admitted, and shows a joined bot's call and how far it has taken the roster", async () => {
		const tester = newTester("live-lobby");
		await configure(tester);
		const meeting = await newMeeting(tester, { lobby: { enabled: true, bypass: "organizer" } });
		const live = await watchMeeting(tester, meeting.id);
		await live.next((m) => m.exists);
		const guest = { key: "Gus", identity: { guest: { id: "gus-1", displayName: "Gus" } } };
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants`, guest)).status).toBe(201);
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants/Gus/admit`)).status).toBe(200);
		const call = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		const joined = await live.next((m) => m.calls.length === 1 && m.history.events.length === 3);
		expect(said(joined).slice(0, 2)).toEqual(["#1 Gus inLobby", "#2 Gus admitted"]);
		expect(joined.calls[0]?.callId).toBe(call.id);
		// The call's own timeline names its meeting, so the page opens the meeting beside it.
		const timeline = await watch<Timeline>(`/_stub/calls/${call.id}/live`, tester.token);
		expect((await timeline.next((t) => t.exists)).meetingId).toBe(meeting.id);
		timeline.socket.close();
		live.socket.close();
	});

	it(`keeps and shows only the newest ${HISTORY_CHANGES} changes, and says after which one it starts`, async () => {
		const tester = newTester("live-bounded");
		const meeting = await newMeeting(tester, { participants: [person("Alice")] });
		for (let i = 0; i < HISTORY_CHANGES + 10; i++)
			expect(
				(await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/${i % 2 ? "unmute" : "mute"}`)).status,
			).toBe(200);
		const newest = HISTORY_CHANGES + 11;
		const live = await watchMeeting(tester, meeting.id);
		const shown = await live.next((m) => m.rosterSequenceNumber === newest);
		expect(shown.history.events).toHaveLength(HISTORY_CHANGES);
		expect(shown.history.since).toBe(newest - HISTORY_CHANGES);
		expect(said(shown).at(0)).toBe(`#${newest - HISTORY_CHANGES + 1} Alice muted`);
		expect(said(shown).at(-1)).toBe(`#${newest} Alice unmuted`);
		const kept = await meetingRows(tester, meeting.id, "SELECT COUNT(*) AS n FROM roster_changes");
		expect(kept[0]?.n).toBeLessThanOrEqual(HISTORY_CHANGES + 1);
		live.socket.close();
	});

	it("is 426 without an upgrade and 401 without a token, like the call's socket", async () => {
		const plain = await exports.default.fetch(`${ORIGIN}/_stub/meetings/x/live?access_token=t`);
		expect(plain.status).toBe(426);
		const anonymous = await exports.default.fetch(`${ORIGIN}/_stub/meetings/x/live`, {
			headers: { Upgrade: "websocket" },
		});
		expect(anonymous.status).toBe(401);
	});

	it("is 404 for an id nobody made, and makes no meeting object for it", async () => {
		const before = (await listDurableObjectIds(env.MEETINGS)).length;
		for (let i = 0; i < 10; i++) {
			const junk = `0000000${i}-0000-4000-8000-000000000000`;
			const answer = await exports.default.fetch(`${ORIGIN}/_stub/meetings/${junk}/live?access_token=junk-live`, {
				headers: { Upgrade: "websocket" },
			});
			expect(answer.status).toBe(404);
		}
		expect((await listDurableObjectIds(env.MEETINGS)).length).toBe(before);
	});
});
