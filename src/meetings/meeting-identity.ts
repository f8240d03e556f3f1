// How a meeting is named. Its Durable Object is keyed by (namespace, chat thread id): the thread is
// what every way of joining leads to. A thread the stub makes reads like Teams' own,
// `19:meeting_<base64 of a GUID>@thread.v2`, and that GUID is the meeting's id in /_stub/meetings/{id}.
// A joinMeetingId leads to its meeting without any index: the meeting's GUID is derived from it.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STUB_THREAD = /^19:meeting_([A-Za-z0-9+/]+={0,2})@thread\.v2$/;
const TOKEN_PREFIX = "stub-meeting-token.";

/** The Durable Object name of a namespace's meeting; the JSON pair keeps any two apart. */
export const meetingObjectName = (namespace: string, threadId: string) => JSON.stringify([namespace, threadId]);

export function meetingFromName(name: string | undefined): { namespace: string; threadId: string } {
	const parsed: unknown = JSON.parse(name ?? "null");
	if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === "string"))
		return { namespace: parsed[0] as string, threadId: parsed[1] as string };
	throw new Error("a meeting object must be reached by name (meetingObject(env, namespace, threadId))");
}

export const meetingObject = (env: Env, namespace: string, threadId: string) =>
	env.MEETINGS.getByName(meetingObjectName(namespace, threadId));

/** The thread of a meeting id: a GUID's stub thread, or a thread id given as the id itself. */
export const threadOf = (meetingId: string) =>
	GUID.test(meetingId) ? `19:meeting_${btoa(meetingId)}@thread.v2` : meetingId;

/** The id a tester names a meeting by: the GUID inside a stub thread, else the thread id itself. */
export function meetingIdOf(threadId: string): string {
	const encoded = STUB_THREAD.exec(threadId)?.[1];
	if (!encoded) return threadId;
	try {
		const decoded = atob(encoded);
		return GUID.test(decoded) ? decoded : threadId;
	} catch {
		return threadId;
	}
}

/** The meeting id a joinMeetingId stands for (the first 16 bytes of its SHA-256, as a GUID). */
export async function meetingIdForJoinId(joinMeetingId: string): Promise<string> {
	const digest = new Uint8Array(
		await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`joinMeetingId:${joinMeetingId}`)),
	);
	const hex = [...digest.slice(0, 16)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A fresh joinMeetingId: 12 digits, as Teams gives (its docs' examples show shorter ones). */
export const newJoinMeetingId = () =>
	[...crypto.getRandomValues(new Uint8Array(12))].map((byte, i) => (i === 0 ? 1 + (byte % 9) : byte % 10)).join("");

/** The tokenMeetingInfo token the stub issues for a meeting (opaque to a bot; it names the thread). */
export const meetingToken = (threadId: string) => `${TOKEN_PREFIX}${btoa(threadId)}`;

export function threadOfToken(token: string): string | undefined {
	if (!token.startsWith(TOKEN_PREFIX)) return undefined;
	try {
		return atob(token.slice(TOKEN_PREFIX.length));
	} catch {
		return undefined;
	}
}

export const chatInfoOf = (threadId: string) => ({
	"@odata.type": "#microsoft.graph.chatInfo",
	threadId,
	messageId: "0",
	replyChainMessageId: null,
});

/** A meetup-join link whose path and `context` decode to the thread, the tenant and the organizer, as real ones. */
export const joinWebUrlOf = (threadId: string, tenantId: string | null, organizerId: string | null) =>
	`https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(threadId)}/0?context=${encodeURIComponent(
		JSON.stringify({ Tid: tenantId ?? "", Oid: organizerId ?? "" }),
	)}`;
