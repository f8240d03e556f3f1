import { describe, expect, it, vi } from "vitest";
import { advance, configure, createCall, newTester } from "../calls/helpers";
import { errorOf, json } from "../helpers/graph";
import { botAction, twoBetaBots } from "./bot-helpers";
import { type Participant, person, rosters } from "./helpers";

type Stream = { mediaType: string; sourceId: string; direction: string };
type WithRecording = Participant & {
	recordingInfo: { initiator: Record<string, unknown>; recordingStatus: string } | null;
};

const TWO_STREAMS = [
	{ mediaType: "audio", direction: "sendReceive" },
	{ mediaType: "videoBasedScreenSharing", direction: "receiveOnly" },
];

/** The rosters on `hook` once the last one satisfies `check`. */
async function rostersUntil(hook: string, check: (roster: Participant[]) => boolean): Promise<Participant[][]> {
	let seen: Participant[][] = [];
	await vi.waitFor(
		async () => {
			seen = await rosters(hook, 1);
			expect(check(seen.at(-1) ?? [])).toBe(true);
		},
		{ timeout: 10_000, interval: 20 },
	);
	return seen;
}

describe("a bot's recording status and hold music, seen in the meeting's roster", { timeout: 30_000 }, () => {
	it("updateRecordingStatus sets the bot's recordingInfo in every joined call's roster; the same status again changes nothing", async () => {
		const { tester, second, a, b } = await twoBetaBots({ participants: [person("Alice")] });
		const answer = await botAction(tester, a.id, "updateRecordingStatus", { status: "recording", clientContext: "r" });
		expect(answer.status).toBe(200);
		expect(await json(answer)).toMatchObject({
			"@odata.type": "#microsoft.graph.updateRecordingStatusOperation",
			status: "completed",
			resultInfo: null,
		});
		const recording = (roster: Participant[]) =>
			(roster.find((one) => one.id === a.myParticipantId) as WithRecording | undefined)?.recordingInfo?.recordingStatus;
		for (const hook of [tester.hook, second.hook]) {
			const seen = await rostersUntil(hook, (roster) => recording(roster) === "recording");
			const bot = seen.at(-1)?.find((one) => one.id === a.myParticipantId) as WithRecording;
			expect(bot.recordingInfo).toEqual({
				"@odata.type": "#microsoft.graph.recordingInfo",
				initiator: bot.info.identity,
				recordingStatus: "recording",
			});
			expect(bot.info.identity.application).toBeDefined();
			// The other bot's participant is not recording.
			expect(
				((seen.at(-1) ?? []).find((one) => one.id === b.myParticipantId) as WithRecording | undefined)?.recordingInfo,
			).toBeNull();
		}
		const heardByB = (await rosters(second.hook, 1)).length;
		expect((await botAction(tester, a.id, "updateRecordingStatus", { status: "recording" })).status).toBe(200);
		expect((await botAction(tester, a.id, "updateRecordingStatus", { status: "notRecording" })).status).toBe(200);
		const after = await rostersUntil(second.hook, (roster) => recording(roster) === "notRecording");
		expect(after.length).toBe(heardByB + 1); // the repeated status made no roster change
	});

	it("on a call not in a meeting, updateRecordingStatus sets the bot's own participant's recordingInfo (a roster notification)", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await createCall(tester, {}, "beta");
		await advance(tester, call.id, "established", "audioActive");
		expect((await botAction(tester, call.id, "updateRecordingStatus", { status: "recording" })).status).toBe(200);
		const seen = await rostersUntil(tester.hook, (roster) =>
			roster.some((one) => (one as WithRecording).recordingInfo?.recordingStatus === "recording"),
		);
		const bot = seen.at(-1)?.find((one) => one.id === call.myParticipantId) as WithRecording;
		expect(bot.recordingInfo?.initiator).toEqual(bot.info.identity);
	});

	it("startHoldMusic puts a person's streams inactive in every roster, stopHoldMusic gives them back; one held at a time", async () => {
		const { tester, meeting, second, a, b } = await twoBetaBots({
			participants: [person("Alice", TWO_STREAMS), person("Bob")],
		});
		const [alice, bob] = meeting.participants;
		const directions = (roster: Participant[]) =>
			(roster.find((one) => one.id === alice?.id)?.mediaStreams as Stream[] | undefined)?.map((s) => s.direction);
		const started = await botAction(tester, a.id, `participants/${alice?.id}/startHoldMusic`, { clientContext: "h" });
		expect(started.status).toBe(202);
		expect(await json(started)).toMatchObject({
			"@odata.type": "#microsoft.graph.startHoldMusicOperation",
			status: "running",
		});
		for (const hook of [tester.hook, second.hook])
			await rostersUntil(hook, (roster) => directions(roster)?.join() === "inactive,inactive");
		// Graph: "Only one participant can be placed on hold at any given time" (the refusal's code is inferred).
		const another = await botAction(tester, b.id, `participants/${bob?.id}/startHoldMusic`);
		expect(another.status).toBe(400);
		expect((await errorOf(another)).error.message).toMatch(/one participant/);
		const stopped = await botAction(tester, b.id, `participants/${alice?.id}/stopHoldMusic`);
		expect(stopped.status).toBe(202);
		expect(await json(stopped)).toMatchObject({ "@odata.type": "#microsoft.graph.stopHoldMusicOperation" });
		const ofA = await rostersUntil(tester.hook, (roster) => directions(roster)?.join() === "sendReceive,receiveOnly");
		const ofB = await rostersUntil(second.hook, (roster) => directions(roster)?.join() === "sendReceive,receiveOnly");
		expect(ofB.slice(-2)).toEqual(ofA.slice(-2)); // held, then back: the same two rosters, in that order
		// Now Bob may be held.
		expect((await botAction(tester, b.id, `participants/${bob?.id}/startHoldMusic`)).status).toBe(202);
		// Hold music on someone not in the meeting: not found.
		expect((await botAction(tester, a.id, "participants/nobody/startHoldMusic")).status).toBe(404);
	});

	it("participant mute names a meeting participant: the meeting mutes them (it was 404: the call looked in its own, empty roster)", async () => {
		const { tester, meeting, second, a } = await twoBetaBots({ participants: [person("Alice")] });
		const alice = meeting.participants[0];
		const muted = await botAction(tester, a.id, `participants/${alice?.id}/mute`);
		expect(muted.status, await muted.clone().text()).toBe(200);
		expect(await json(muted)).toMatchObject({ "@odata.type": "#microsoft.graph.muteParticipantOperation" });
		await rostersUntil(second.hook, (roster) => roster.find((one) => one.id === alice?.id)?.isMuted === true);
	});

	it("a bot's own mute shows in every joined call's roster (it changed only the call's own participant before)", async () => {
		const { tester, second, a } = await twoBetaBots({ participants: [person("Alice")] });
		const muted = await botAction(tester, a.id, "mute", { clientContext: "m" });
		expect(muted.status).toBe(200);
		expect(await json(muted)).toMatchObject({ "@odata.type": "#microsoft.graph.muteParticipantOperation" });
		await rostersUntil(second.hook, (roster) => roster.find((one) => one.id === a.myParticipantId)?.isMuted === true);
		const ofA = await rostersUntil(
			tester.hook,
			(roster) => roster.find((one) => one.id === a.myParticipantId)?.isMuted === true,
		);
		expect(ofA.at(-1)?.length).toBe(3); // the meeting's roster, not the call's own
		expect((await botAction(tester, a.id, "unmute")).status).toBe(200);
		await rostersUntil(second.hook, (roster) => roster.find((one) => one.id === a.myParticipantId)?.isMuted === false);
	});
});
