import type { MeetingControls, MeetingParticipant, NewMeeting, StubMeeting, StubNotification } from "./api.ts";

// The test driver's meeting helpers: typed calls of the /_stub/meetings controls (the far side of a
// meeting), and the roster a notification carries, lifted beside it for waitFor() and notifications().

type Json = Record<string, unknown>;
type Answer = { status: number; json: () => Json; text: string };
/** The driver's request helpers: `call` answers whatever came, `ok` throws on a status outside 2xx. */
export type Send = (method: string, path: string, body?: unknown) => Promise<Answer>;

const meetingPath = (id: string) => `/_stub/meetings/${encodeURIComponent(id)}`;

export function meetingHelpers(call: Send, ok: Send) {
	const meeting = (which: string | { id: string }): MeetingControls => {
		const id = typeof which === "string" ? which : which.id;
		const base = meetingPath(id);
		const person = (who: string) => `${base}/participants/${encodeURIComponent(who)}`;
		const act = async (who: string, action: string) =>
			(await ok("POST", `${person(who)}/${action}`)).json() as MeetingParticipant;
		const view = async () => {
			const res = await call("GET", base);
			if (res.status === 404) return undefined;
			if (res.status !== 200) throw new Error(`GET ${base} answered ${res.status}: ${res.text}`);
			return res.json() as StubMeeting;
		};
		return {
			id,
			view,
			roster: async () => ((await ok("GET", base)).json() as StubMeeting).participants,
			join: async (who) => (await ok("POST", `${base}/participants`, who)).json() as MeetingParticipant,
			leave: async (who) => {
				await ok("DELETE", person(who));
			},
			mute: (who) => act(who, "mute"),
			unmute: (who) => act(who, "unmute"),
			startVideo: (who) => act(who, "startVideo"),
			stopVideo: (who) => act(who, "stopVideo"),
			startSharing: (who) => act(who, "startSharing"),
			stopSharing: (who) => act(who, "stopSharing"),
			admit: (who) => act(who, "admit"),
			act,
			delete: async () => {
				await ok("DELETE", base);
			},
		};
	};
	return {
		createMeeting: async (body: NewMeeting = {}) => (await ok("POST", "/_stub/meetings", body)).json() as StubMeeting,
		meeting,
	};
}

type Payload = { value?: { resourceUrl?: unknown; resourceData?: unknown }[] };

/** The notification with `roster`: a roster notification's participants, else null. */
export function withRoster(notification: Omit<StubNotification, "roster">): StubNotification {
	const first = (notification.payload as Payload | null)?.value?.[0];
	const isRoster =
		typeof first?.resourceUrl === "string" &&
		first.resourceUrl.endsWith("/participants") &&
		Array.isArray(first.resourceData);
	return { ...notification, roster: isRoster ? (first.resourceData as MeetingParticipant[]) : null };
}
