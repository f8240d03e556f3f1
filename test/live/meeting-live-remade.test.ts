import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { MeetingLive } from "../../src/objects/meeting/meeting-live";
import { newTester } from "../calls/helpers";
import { ORIGIN } from "../helpers/graph";
import { meetingAction, newMeeting } from "../meetings/helpers";

// The live page keeps watching a meeting that ended; a new meeting of the same id (the same joinMeetingId
// made again, as a test's setup does) shows up on it — even one made with nobody in it yet, whose making
// records no roster change.

async function watchMeeting(token: string, meetingId: string) {
	const response = await exports.default.fetch(`${ORIGIN}/_stub/meetings/${meetingId}/live?access_token=${token}`, {
		headers: { Upgrade: "websocket" },
	});
	expect(response.status).toBe(101);
	const socket = response.webSocket;
	if (!socket) throw new Error("no WebSocket");
	const received: MeetingLive[] = [];
	let wake: (() => void) | undefined;
	socket.addEventListener("message", (event) => {
		received.push(JSON.parse(String(event.data)) as MeetingLive);
		wake?.();
	});
	socket.accept();
	/** The first message from `from` on that satisfies `test`; undefined after `ms` without one. */
	const next = async (test: (message: MeetingLive) => boolean, from = 0, ms = 3000) => {
		const until = Date.now() + ms;
		for (;;) {
			const found = received.slice(from).find(test);
			if (found) return found;
			const left = until - Date.now();
			if (left <= 0) return undefined;
			await new Promise<void>((resolve) => {
				wake = resolve;
				setTimeout(resolve, left);
			});
		}
	};
	return { socket, next, received };
}

describe("the live meeting socket across a meeting made again", { timeout: 20_000 }, () => {
	it("shows a meeting made again with the same joinMeetingId and nobody in it", async () => {
		const tester = newTester("live-remade");
		const meeting = await newMeeting(tester, { joinMeetingId: "424242424242", subject: "First" });
		const live = await watchMeeting(tester.token, meeting.id);
		expect(await live.next((m) => m.exists && m.subject === "First")).toBeDefined();

		expect((await meetingAction(tester, "DELETE", meeting.id)).status).toBe(204);
		expect(await live.next((m) => !m.exists)).toBeDefined();
		const afterDelete = live.received.length;

		const again = await newMeeting(tester, { joinMeetingId: "424242424242", subject: "Second" });
		expect(again.id).toBe(meeting.id);
		const shown = await live.next((m) => m.exists, afterDelete);
		expect(shown).toMatchObject({ meetingId: meeting.id, subject: "Second", participants: [] });
		live.socket.close();
	});
});
