import { describe, expect, it } from "vitest";
import { configure, newTester } from "../calls/helpers";
import { anotherHook, byJoinId, connect, joinCall, meetingAction, newMeeting, person, rosters } from "./helpers";

const DELTA = { "@odata.type": "#microsoft.graph.outgoingCallOptions", isDeltaRosterEnabled: true };

describe("the delta roster (callOptions.isDeltaRosterEnabled, inferred wire form)", { timeout: 20_000 }, () => {
	it("sends the whole roster on connect, then only what changed, with sequence numbers that never go back", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { participants: [person("Alice")] });
		const whole = anotherHook();
		const delta = await joinCall(tester, tester.callbackUri, {
			meetingInfo: byJoinId(meeting.joinMeetingId),
			callOptions: DELTA,
		});
		expect(delta.callOptions).toMatchObject({ isDeltaRosterEnabled: true });
		const full = await joinCall(tester, whole.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await connect(tester, delta.id);
		await connect(tester, full.id);
		const [first] = await rosters(tester.hook, 1);
		expect(first).toHaveLength(3);

		await meetingAction(tester, "POST", `${meeting.id}/participants`, person("Bob"));
		await meetingAction(tester, "POST", `${meeting.id}/participants/Bob/startVideo`);
		await meetingAction(tester, "DELETE", `${meeting.id}/participants/Alice`);
		const deltas = (await rosters(tester.hook, 4)).slice(1);
		const alice = first?.[0]?.id;
		expect(deltas.map((changed) => changed.map((one) => one.info.identity.user?.displayName))).toEqual([
			["Bob"],
			["Bob"],
			["Alice"],
		]);
		expect(deltas[1]?.[0]?.mediaStreams.map((s) => `${s.mediaType}:${s.direction}`)).toEqual([
			"audio:sendReceive",
			"video:sendReceive",
		]);
		expect(deltas[2]?.[0]).toMatchObject({ id: alice, removedState: { reason: "left" } });
		const numbers = [first ?? [], ...deltas].flatMap((changed) => changed.map((one) => one.rosterSequenceNumber));
		const after = numbers.slice(3);
		expect(after).toEqual([...after].sort((x, y) => x - y));
		expect(new Set(after).size).toBe(after.length);
		expect(Math.min(...after)).toBeGreaterThan(Math.max(...numbers.slice(0, 3)));

		// The other bot asked for none: it keeps getting the whole roster.
		const wholes = (await rosters(whole.hook, 4)).slice(1);
		expect(wholes.map((roster) => roster.length)).toEqual([4, 4, 3]);
	});
});
