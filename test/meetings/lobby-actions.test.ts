import { describe, expect, it, vi } from "vitest";
import { advance, createCall, timersOf } from "../calls/helpers";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { botAction, guest, twoBetaBots, viewOf } from "./bot-helpers";
import { anotherHook, byJoinId, joinCall, meetingAction, notified, type Participant, person, rosters } from "./helpers";

const LOBBY = { enabled: true, bypass: "organization", timeoutMs: 3_600_000 };
const byKey = (roster: Participant[] | undefined, name: string) =>
	roster?.find((one) => one.info.identity.guest?.displayName === name || one.info.identity.user?.displayName === name);

describe("beta lobby and mute-all actions on a meeting call", { timeout: 30_000 }, () => {
	it("admit, remove and mute all: each answers its operation, and both joined calls see the changes in one order", async () => {
		const { tester, meeting, second, a, b } = await twoBetaBots({
			lobby: LOBBY,
			participants: [person("Alice"), guest("Gina"), guest("Gus")],
		});
		const [alice, gina, gus] = meeting.participants;
		const admitted = await botAction(tester, a.id, `participants/${gina?.id}/admitFromLobby`, { clientContext: "c1" });
		expect(admitted.status).toBe(200);
		expect(admitted.headers.get("Location")).toMatch(new RegExp(`/beta/communications/calls/${a.id}/operations/`));
		expect(await json(admitted)).toMatchObject({
			"@odata.type": "#microsoft.graph.admitFromLobbyOperation",
			status: "completed",
			clientContext: "c1",
		});
		const removed = await botAction(tester, b.id, `participants/${gus?.id}/removeFromLobby`);
		expect(removed.status).toBe(200);
		expect(await json(removed)).toMatchObject({ "@odata.type": "#microsoft.graph.removeFromLobbyOperation" });
		const muted = await botAction(tester, a.id, "participants/muteAll", { clientContext: "m" });
		expect(muted.status).toBe(200);
		expect(await json(muted)).toMatchObject({
			"@odata.type": "#microsoft.graph.muteParticipantsOperation",
			status: "completed",
			participants: [],
		});

		// Every joined call hears the three changes, in the meeting's order, as the same rosters.
		const lastThree = async (hook: string) => {
			let seen: Participant[][] = [];
			await vi.waitFor(
				async () => {
					seen = await rosters(hook, 1);
					expect(seen.at(-1)?.every((one) => one.id === a.myParticipantId || one.isMuted)).toBe(true);
				},
				{ timeout: 10_000, interval: 20 },
			);
			return seen.slice(-3);
		};
		const ofA = await lastThree(tester.hook);
		const ofB = await lastThree(second.hook);
		expect(ofB).toEqual(ofA);
		const [afterAdmit, afterRemove, afterMute] = ofA;
		expect(byKey(afterAdmit, "Gina")?.isInLobby).toBe(false);
		expect(byKey(afterAdmit, "Gus")?.isInLobby).toBe(true);
		expect(byKey(afterRemove, "Gus")).toBeUndefined();
		// Everyone but the acting bot is muted by the server: isMuted, audio serverMuted.
		const mutedOnes = afterMute?.filter((one) => one.id !== a.myParticipantId) ?? [];
		expect(mutedOnes.map((one) => one.id)).toEqual([alice?.id, gina?.id, b.myParticipantId]);
		for (const one of mutedOnes) {
			expect(one.isMuted).toBe(true);
			expect(
				one.mediaStreams
					.filter((s) => s.mediaType === "audio")
					.map((s) => (s as { serverMuted?: boolean }).serverMuted),
			).toEqual([true]);
		}
		expect(byKey(afterMute, "Alice")?.rosterSequenceNumber).toBe(byKey(afterMute, "Gina")?.rosterSequenceNumber);
		expect(afterMute?.find((one) => one.id === a.myParticipantId)?.isMuted).toBe(false);
	});

	it("admits everyone waiting, a waiting bot too (its call goes on to established)", async () => {
		const { tester, meeting, a } = await twoBetaBots({ lobby: LOBBY, participants: [guest("Gina"), guest("Gus")] });
		const late = await joinCall(
			tester,
			anotherHook().callbackUri,
			{ meetingInfo: byJoinId(meeting.joinMeetingId) },
			"beta",
		);
		const all = await botAction(tester, a.id, "participants/admitAllFromLobby", {});
		expect(all.status).toBe(200);
		expect(await json(all)).toMatchObject({ "@odata.type": "#microsoft.graph.admitAllFromLobbyOperation" });
		const view = await viewOf(tester, meeting.id);
		expect(view.participants.filter((one) => one.isInLobby)).toEqual([]);
		const seen = await rosters(tester.hook, 2);
		const last = seen.at(-1) ?? [];
		// One change: everyone admitted carries the same sequence number.
		const admittedNow = last.filter((one) =>
			[meeting.participants[0]?.id, meeting.participants[1]?.id, late.myParticipantId].includes(one.id),
		);
		expect(new Set(admittedNow.map((one) => one.rosterSequenceNumber)).size).toBe(1);
		expect((await timersOf(tester, late.id)).map((timer) => timer.kind)).toContain("established");
	});

	it("refuses, changing nothing: not in the lobby, no such participant, a call not in a meeting, v1.0", async () => {
		const { tester, meeting, a } = await twoBetaBots({ lobby: LOBBY, participants: [person("Alice"), guest("Gina")] });
		const before = await viewOf(tester, meeting.id);
		const alice = meeting.participants[0]?.id;
		const notWaiting = await botAction(tester, a.id, `participants/${alice}/admitFromLobby`);
		expect(notWaiting.status).toBe(400);
		expect((await errorOf(notWaiting)).error).toMatchObject({
			code: "BadRequest",
			message: "The participant is not in the lobby.",
		});
		const alsoNot = await botAction(tester, a.id, `participants/${alice}/removeFromLobby`);
		expect(alsoNot.status).toBe(400);
		const unknown = await botAction(tester, a.id, "participants/nobody/admitFromLobby");
		expect(unknown.status).toBe(404);
		expect((await errorOf(unknown)).error.code).toBe("itemNotFound");
		const unknownMute = await botAction(tester, a.id, "participants/muteAll", { participants: ["nobody"] });
		expect(unknownMute.status).toBe(404);
		const badBody = await botAction(tester, a.id, "participants/muteAll", { participants: "all" });
		expect(badBody.status).toBe(400);
		const v1 = await botAction(tester, a.id, "participants/admitAllFromLobby", {}, "v1.0");
		expect(v1.status).toBe(404);
		expect(await viewOf(tester, meeting.id)).toEqual(before);

		const plain = await createCall(tester, {}, "beta");
		await advance(tester, plain.id, "established");
		const notMeeting = await botAction(tester, plain.id, "participants/admitAllFromLobby");
		expect(notMeeting.status).toBe(400);
		expect((await errorOf(notMeeting)).error.message).toMatch(/not in one/);
	});

	it("turns a waiting bot away: it leaves every roster (removedState) and its call ends 200/5300", async () => {
		const { tester, meeting, second, a } = await twoBetaBots({ lobby: LOBBY, participants: [person("Alice")] });
		const waiting = anotherHook();
		const late = await joinCall(tester, waiting.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) }, "beta");
		const removed = await botAction(tester, a.id, `participants/${late.myParticipantId}/removeFromLobby`);
		expect(removed.status).toBe(200);
		await vi.waitFor(
			async () =>
				expect((await notified(waiting.hook)).at(-1)).toMatchObject({
					changeType: "deleted",
					resourceData: { state: "terminated", resultInfo: { code: 200, subcode: 5300 } },
				}),
			{ timeout: 10_000, interval: 20 },
		);
		await vi.waitFor(async () => {
			const last = (await rosters(second.hook, 1)).at(-1);
			expect(last?.some((one) => one.id === late.myParticipantId)).toBe(false);
		});
		const view = await viewOf(tester, meeting.id);
		expect(view.participants.map((one) => one.id)).not.toContain(late.myParticipantId);
	});

	it("a fault plan's error on a lobby action changes nothing in the meeting", async () => {
		const { tester, meeting, a } = await twoBetaBots({ lobby: LOBBY, participants: [guest("Gina")] });
		const plan = { calling: { setupMs: 3_600_000 }, faults: { rules: [{ route: "admitFromLobby", status: 503 }] } };
		expect((await send("PUT", `${ORIGIN}/_stub/calls/${a.id}/config`, plan, { token: tester.token })).status).toBe(200);
		const before = await viewOf(tester, meeting.id);
		const faulted = await botAction(tester, a.id, `participants/${meeting.participants[0]?.id}/admitFromLobby`);
		expect(faulted.status).toBe(503);
		expect(await viewOf(tester, meeting.id)).toEqual(before);
	});

	it("someone muted by muteAll unmutes themselves: isMuted and serverMuted both clear", async () => {
		const { tester, meeting, a } = await twoBetaBots({ participants: [person("Alice")] });
		expect(
			(await botAction(tester, a.id, "participants/muteAll", { participants: [meeting.participants[0]?.id] })).status,
		).toBe(200);
		const unmuted = await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/unmute`);
		expect(unmuted.status).toBe(200);
		const alice = (await unmuted.json()) as { isMuted: boolean; mediaStreams: { serverMuted: boolean }[] };
		expect([alice.isMuted, alice.mediaStreams.map((stream) => stream.serverMuted)]).toEqual([false, [false]]);
	});
});
