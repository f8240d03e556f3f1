import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { meetingObject, threadOf } from "../../src/meetings/meeting-identity";
import { advance, callsUrl, SERVICE_HOSTED, type Tester } from "../calls/helpers";
import { json, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { receivedAt, receiverUrl } from "../simulation/helpers";

export const meetingsUrl = `${ORIGIN}/_stub/meetings`;

export const person = (name: string, streams?: unknown[], extra: Record<string, unknown> = {}) => ({
	key: name,
	identity: { user: { id: `${name}-id`, displayName: name } },
	...(streams ? { streams } : {}),
	...extra,
});

export type MeetingBody = {
	id: string;
	joinMeetingId: string;
	passcode: string | null;
	chatInfo: { threadId: string; messageId: string };
	tokenMeetingInfo: { token: string };
	participants: Participant[];
	calls: { callId: string; rosterSequenceNumber: number }[];
};
export type Participant = {
	id: string;
	info: { identity: Record<string, { id?: string; displayName?: string }> };
	mediaStreams: { mediaType: string; sourceId: string; direction: string; label: string }[];
	isMuted: boolean;
	isInLobby: boolean;
	rosterSequenceNumber: number;
	removedState: { reason: string } | null;
};

export async function newMeeting(tester: Tester, body: Record<string, unknown> = {}) {
	const response = await send("POST", meetingsUrl, body, { token: tester.token });
	expect(response.status, await response.clone().text()).toBe(201);
	return (await json(response)) as unknown as MeetingBody;
}

export const meetingAction = (tester: Tester, method: string, path: string, body?: unknown) =>
	send(method, `${meetingsUrl}/${path}`, body, { token: tester.token });

/** A second webhook in the same namespace (a second bot of the same tester). */
export const anotherHook = () => {
	const hook = `/hook-${uniqueCallId("bot2")}`;
	return { hook, callbackUri: `${receiverUrl()}${hook}` };
};

export const byJoinId = (joinMeetingId: string, passcode: string | null = null) => ({
	"@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo",
	joinMeetingId,
	passcode,
});

export async function joinCall(
	tester: Tester,
	callbackUri: string,
	meeting: Record<string, unknown>,
	version = "v1.0",
) {
	const body = {
		"@odata.type": "#microsoft.graph.call",
		callbackUri,
		requestedModalities: ["audio"],
		mediaConfig: SERVICE_HOSTED,
		tenantId: "tenant-1",
		...meeting,
	};
	const response = await send("POST", callsUrl(version), body, { token: tester.token });
	expect(response.status, await response.clone().text()).toBe(201);
	return (await json(response)) as Record<string, unknown> & { id: string; myParticipantId: string };
}

export const connect = (tester: Tester, callId: string) => advance(tester, callId, "established", "audioActive");

type Notified = { changeType: string; resourceUrl: string; resourceData: unknown };

/** Every notification value received on `hook` so far. */
export async function notified(hook: string): Promise<Notified[]> {
	return (await receivedAt(hook)).flatMap((one) => (JSON.parse(one.body) as { value: Notified[] }).value);
}

/** The roster notifications on `hook`, once there are `count` of them. */
export async function rosters(hook: string, count: number): Promise<Participant[][]> {
	let found: Participant[][] = [];
	await vi.waitFor(
		async () => {
			found = (await notified(hook))
				.filter((one) => one.resourceUrl.endsWith("/participants"))
				.map((one) => one.resourceData as Participant[]);
			expect(found.length).toBeGreaterThanOrEqual(count);
		},
		{ timeout: 10_000, interval: 20 },
	);
	return found;
}

export const names = (roster: Participant[]) =>
	roster.map((one) => {
		const identity = one.info.identity;
		return String(identity.user?.displayName ?? identity.application?.displayName ?? identity.guest?.displayName);
	});

export async function meetingStub(tester: Tester, meetingId: string) {
	return meetingObject(env, await tokenHashNamespace(tester.token), threadOf(meetingId));
}

export const meetingRows = async (tester: Tester, meetingId: string, query: string) =>
	runInDurableObject(await meetingStub(tester, meetingId), (_, state) => state.storage.sql.exec(query).toArray());
