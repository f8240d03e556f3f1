import { callsUrl, configure, newTester, type Tester } from "../calls/helpers";
import { send } from "../helpers/graph";
import { anotherHook, byJoinId, connect, joinCall, meetingAction, newMeeting, rosters } from "./helpers";

// Two beta bots in one meeting, both let in and connected, each with its first roster heard.

export const guest = (name: string) => ({ key: name, identity: { guest: { id: `${name}-id`, displayName: name } } });

export async function twoBetaBots(meetingBody: Record<string, unknown>) {
	const tester = newTester();
	await configure(tester);
	const meeting = await newMeeting(tester, meetingBody);
	const second = anotherHook();
	const a = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) }, "beta");
	const b = await joinCall(tester, second.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) }, "beta");
	for (const bot of [a, b]) {
		// A bot waits in a lobby like a guest: the tester lets it in (a no-op without a lobby).
		await meetingAction(tester, "POST", `${meeting.id}/participants/${bot.myParticipantId}/admit`);
		await connect(tester, bot.id);
	}
	await rosters(tester.hook, 1);
	await rosters(second.hook, 1);
	return { tester, meeting, second, a, b };
}

/** POST …/calls/{callId}/{path} as the bot. */
export const botAction = (tester: Tester, callId: string, path: string, body: unknown = {}, version = "beta") =>
	send("POST", `${callsUrl(version)}/${callId}/${path}`, body, { token: tester.token });

export type MeetingView = { rosterSequenceNumber: number; participants: { id: string; isInLobby: boolean }[] };

export const viewOf = async (tester: Tester, meetingId: string) =>
	(await (await meetingAction(tester, "GET", meetingId)).json()) as MeetingView;
