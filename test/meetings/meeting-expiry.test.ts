import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { configure, newTester } from "../calls/helpers";
import { send } from "../helpers/graph";
import {
	byJoinId,
	connect,
	joinCall,
	meetingAction,
	meetingStub,
	meetingsUrl,
	newMeeting,
	notified,
	person,
	rosters,
} from "./helpers";

// A meeting with no change for CALL_TTL_SECONDS is wiped by its alarm, as a tester's DELETE: unlisted,
// and every call joined to it ends (inferred 200/5020).

const TTL_MS = Number(env.CALL_TTL_SECONDS) * 1000;

const lastActivity = async (stub: Awaited<ReturnType<typeof meetingStub>>) =>
	runInDurableObject(
		stub,
		(_, state) => state.storage.sql.exec<{ at: number }>("SELECT last_activity_ms AS at FROM meeting").one().at,
	);

describe("an idle meeting", { timeout: 20_000 }, () => {
	it("arms its alarm one TTL after its last change; a roster change moves its last activity", async () => {
		const tester = newTester();
		const meeting = await newMeeting(tester);
		const stub = await meetingStub(tester, meeting.id);
		const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
		expect(Math.abs((alarm ?? 0) - (Date.now() + TTL_MS))).toBeLessThan(60_000);
		const made = await lastActivity(stub);
		await runInDurableObject(stub, (_, state) => {
			state.storage.sql.exec("UPDATE meeting SET last_activity_ms = ?", made - 5000);
		});
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants`, person("Dan"))).status).toBe(201);
		expect(await lastActivity(stub)).toBeGreaterThanOrEqual(made);
		// An alarm before the TTL is up changes nothing and wakes again later.
		expect(await runDurableObjectAlarm(stub)).toBe(true);
		expect((await meetingAction(tester, "GET", meeting.id)).status).toBe(200);
		expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now());
	});

	it("is wiped by its alarm once idle for the TTL: unlisted, and its joined call ends as when deleted", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { participants: [person("Alice")] });
		const bot = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await connect(tester, bot.id);
		await rosters(tester.hook, 1);
		const stub = await meetingStub(tester, meeting.id);
		await runInDurableObject(stub, (_, state) => {
			state.storage.sql.exec("UPDATE meeting SET last_activity_ms = ?", Date.now() - TTL_MS - 1000);
		});
		expect(await runDurableObjectAlarm(stub)).toBe(true);

		expect((await meetingAction(tester, "GET", meeting.id)).status).toBe(404);
		const listed = (await (await send("GET", meetingsUrl, undefined, { token: tester.token })).json()) as {
			value: unknown[];
		};
		expect(listed.value).toEqual([]);
		await vi.waitFor(async () =>
			expect((await notified(tester.hook)).at(-1)).toMatchObject({
				changeType: "deleted",
				resourceData: { state: "terminated", resultInfo: { code: 200, subcode: 5020 } },
			}),
		);
		const left = await runInDurableObject(stub, (_, state) => ({
			tables: state.storage.sql
				.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf%'")
				.toArray(),
		}));
		expect(left.tables).toEqual([]);
		expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeNull();
		// Its joinMeetingId can make a new meeting afterwards.
		expect(
			(await send("POST", meetingsUrl, { joinMeetingId: meeting.joinMeetingId }, { token: tester.token })).status,
		).toBe(201);
	});
});
