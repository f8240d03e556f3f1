import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { callStub, callUrl, configure, newTester } from "../calls/helpers";
import { ORIGIN, send } from "../helpers/graph";
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

// What each call sees when the meeting and the call change at once.

async function twoBots() {
	const tester = newTester();
	await configure(tester);
	const meeting = await newMeeting(tester, { participants: [person("Alice")] });
	const second = anotherHook();
	const a = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
	const b = await joinCall(tester, second.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
	await connect(tester, a.id);
	await connect(tester, b.id);
	await rosters(tester.hook, 1);
	await rosters(second.hook, 1);
	return { tester, meeting, second, a, b };
}

const ids = (roster: { id: string }[] | undefined) => roster?.map((one) => one.id);

describe("a meeting and its calls changing at once", { timeout: 20_000 }, () => {
	it("a bot hangs up while a person leaves: no roster after its own end; the other bot sees both go", async () => {
		const { tester, meeting, second, a, b } = await twoBots();
		const [hungUp, left] = await Promise.all([
			send("DELETE", callUrl(a.id), undefined, { token: tester.token }),
			meetingAction(tester, "DELETE", `${meeting.id}/participants/Alice`),
		]);
		expect([hungUp.status, left.status]).toEqual([204, 204]);
		const seenByB = await rosters(second.hook, 3);
		expect(ids(seenByB.at(-1))).toEqual([b.myParticipantId]);
		const ofA = await notified(tester.hook);
		const ended = ofA.findIndex((one) => one.changeType === "deleted");
		expect(ended).toBeGreaterThan(0);
		expect(ofA.slice(ended + 1)).toEqual([]);
		const view = (await (await meetingAction(tester, "GET", meeting.id)).json()) as { calls: { callId: string }[] };
		expect(view.calls.map((call) => call.callId)).toEqual([b.id]);
	});

	it("a call that was reset receives nothing; the meeting drops it and its bot", async () => {
		const { tester, meeting, second, a, b } = await twoBots();
		expect((await send("DELETE", `${ORIGIN}/_stub/calls/${a.id}`, undefined, { token: tester.token })).status).toBe(
			204,
		);
		await meetingAction(tester, "POST", `${meeting.id}/participants`, person("Carol"));
		const seenByB = await rosters(second.hook, 3);
		expect(ids(seenByB.at(-1))?.includes(a.myParticipantId)).toBe(false);
		expect(ids(seenByB.at(-1))?.[1]).toBe(b.myParticipantId);
		const tables = await runInDurableObject(await callStub(tester, a.id), (_, state) =>
			state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf%'").toArray(),
		);
		expect(tables).toEqual([]); // nothing was written into the wiped call
	});

	it("the meeting is deleted while a change fans out: every call ends (inferred 200/5020), nothing is left", async () => {
		const { tester, meeting, second } = await twoBots();
		const [joined, deleted] = await Promise.all([
			meetingAction(tester, "POST", `${meeting.id}/participants`, person("Carol")),
			meetingAction(tester, "DELETE", meeting.id),
		]);
		expect(deleted.status).toBe(204);
		expect([201, 404]).toContain(joined.status);
		for (const hook of [tester.hook, second.hook])
			await vi.waitFor(async () =>
				expect((await notified(hook)).at(-1)).toMatchObject({
					changeType: "deleted",
					resourceData: { state: "terminated", resultInfo: { code: 200, subcode: 5020 } },
				}),
			);
		expect((await meetingAction(tester, "GET", meeting.id)).status).toBe(404);
	});
});
