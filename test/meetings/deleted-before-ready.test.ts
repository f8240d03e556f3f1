import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import { meetingObject, threadOf } from "../../src/meetings/meeting-identity";
import { newCallId, outgoingCall, participant } from "../../src/objects/call/call-document";
import { joinMeeting } from "../../src/routes/graph-calls/meeting-join";
import { parseNewCall } from "../../src/schema/call";
import { settingsOf } from "../../src/settings/settings";
import { advance, configure, newTester, SERVICE_HOSTED } from "../calls/helpers";
import { byJoinId, newMeeting, notified } from "./helpers";

// POST /communications/calls with meetingInfo is three steps in the Worker: the meeting takes the call
// (joinCall), the call's object is made (createCall), the meeting is told it exists (callReady). A
// tester's DELETE of the meeting that lands between the first two ends every call the meeting has —
// but this call's object does not exist yet, so that hang-up finds nothing. The meeting then answers
// callReady with false: the call must end as the meeting's other calls did (200/5020), not go on
// established in a meeting that is gone. The steps are run here in that order, as the Worker runs them.

describe("a meeting deleted between a bot's join and its call's creation", { timeout: 20_000 }, () => {
	it("ends the new call 200/5020 instead of leaving it established in no meeting", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester);
		const namespace = await tokenHashNamespace(tester.token);
		const body = parseNewCall(
			"v1.0",
			{
				callbackUri: tester.callbackUri,
				requestedModalities: ["audio"],
				mediaConfig: SERVICE_HOSTED,
				meetingInfo: byJoinId(meeting.joinMeetingId),
			},
			settingsOf(env),
		);
		const ids = { id: newCallId(), myParticipantId: crypto.randomUUID(), callChainId: crypto.randomUUID() };
		const document = outgoingCall(body, ids, { id: "bot-app", displayName: "Calling Bot" });
		const bot = { id: ids.myParticipantId, source: document.source as Record<string, unknown> };

		const joined = await joinMeeting(env, namespace, body, ids.id, bot);
		expect(joined.join.refused).toBeUndefined();
		// The tester's DELETE lands now: the call's object does not exist yet.
		expect((await meetingObject(env, namespace, threadOf(meeting.id)).remove()).ok).toBe(true);
		const call = callObject(env, namespace, ids.id);
		const created = await call.createCall(
			{ document, participants: [participant(ids.myParticipantId, document.source)], version: "v1.0" },
			undefined,
			joined.join,
		);
		expect(created.ok).toBe(true);
		await joined.ready(); // the Worker's last step (create-call.ts)

		await advance(tester, ids.id, "established", "audioActive");
		await vi.waitFor(
			async () =>
				expect((await notified(tester.hook)).at(-1)).toMatchObject({
					changeType: "deleted",
					resourceData: { state: "terminated", resultInfo: { code: 200, subcode: 5020 } },
				}),
			{ timeout: 5000, interval: 20 },
		);
	});
});
