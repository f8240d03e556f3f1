import { GraphError } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Bot, type Heard, SERVICE_HOSTED, startBot } from "./helpers/bot.ts";

// What a calling bot does around a meeting call, against the served stub with Microsoft's own Graph JS
// client: it resolves a join link (and a meeting id) into join information, joins with what the lookup
// returned, hangs up, and reads the call's record — 404 until the record's delay has passed, then with its
// sessions and segments.

const TOKEN = "lookups-records-e2e";
const ORGANIZER = { user: { id: "5810cede-0000-4000-8000-00000000000a", displayName: "Jasmine Miller" } };
const RECORD_DELAY_MS = 3000;
let bot: Bot;

type OnlineMeeting = {
	id: string;
	joinWebUrl: string;
	chatInfo: { "@odata.type"?: string; threadId: string; messageId: string; replyChainMessageId: string | null };
	joinMeetingIdSettings: { joinMeetingId: string; passcode: string | null };
	participants: { organizer: { identity: typeof ORGANIZER } };
};
type Session = { modalities: string[]; segments?: { startDateTime: string; endDateTime: string }[] };
type CallRecord = {
	"@odata.context": string;
	id: string;
	type: string;
	modalities: string[];
	joinWebUrl: string | null;
	startDateTime: string;
	endDateTime: string;
	organizer_v2: { id: string; identity: { user?: { displayName: string } } };
	participants_v2?: { identity: Record<string, { displayName: string | null }> }[];
	sessions?: Session[];
};

const send = (method: string, path: string, body?: unknown) =>
	fetch(`${bot.stub.base}${path}`, {
		method,
		headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
		body: body === undefined ? undefined : JSON.stringify(body),
	});

/** The first notification the webhook heard that matches, once it arrives. */
async function heard(matches: (n: Heard) => boolean): Promise<Heard> {
	let found: Heard | undefined;
	await vi.waitFor(
		() => {
			found = bot.heard.find(matches);
			expect(found).toBeDefined();
		},
		{ timeout: 15_000, interval: 25 },
	);
	return found as Heard;
}

async function statusOf(request: Promise<unknown>): Promise<number> {
	try {
		await request;
		return 200;
	} catch (error) {
		if (error instanceof GraphError) return error.statusCode;
		throw error;
	}
}

beforeAll(async () => {
	bot = await startBot(TOKEN, { setupMs: 200 });
	const configured = await send("PATCH", "/_stub/config", { callRecords: { delayMs: RECORD_DELAY_MS } });
	expect(configured.status, await configured.text()).toBe(200);
});
afterAll(() => bot?.dispose());

describe("look a meeting up, join it, read the call's record, with the Graph JS client", () => {
	it("resolves the join link and the meeting id, joins with chatInfo + organizerMeetingInfo, and reads the record", async () => {
		const made = await send("POST", "/_stub/meetings", {
			joinMeetingId: "987654321098",
			passcode: "abc123",
			subject: "Weekly sync",
			organizer: ORGANIZER,
			participants: [{ key: "alice", identity: { user: { id: "alice-id", displayName: "Alice" } } }],
		});
		expect(made.status, await made.clone().text()).toBe(201);
		const meeting = (await made.json()) as { joinWebUrl: string; joinMeetingId: string };
		const graph = bot.sdk();

		// By JoinWebUrl, the URL encoded inside the literal as Graph's docs show (this client sends $filter as
		// given, the URL so encoded once; fetch encodes only its spaces).
		const byUrl = await graph
			.api(`/users/${ORGANIZER.user.id}/onlineMeetings`)
			.filter(`JoinWebUrl eq '${encodeURIComponent(meeting.joinWebUrl)}'`)
			.get();
		expect(byUrl["@odata.context"]).toBe(
			`${bot.stub.base}/v1.0/$metadata#users('${ORGANIZER.user.id}')/onlineMeetings`,
		);
		expect(byUrl.value).toHaveLength(1);
		const found = byUrl.value[0] as OnlineMeeting;
		expect(found).toMatchObject({
			joinWebUrl: meeting.joinWebUrl,
			subject: "Weekly sync",
			joinMeetingIdSettings: { joinMeetingId: "987654321098", passcode: "abc123", isPasscodeRequired: true },
			participants: { organizer: { identity: ORGANIZER } },
		});
		expect(found.chatInfo.threadId).toMatch(/^19:meeting_.+@thread\.v2$/);

		// By joinMeetingId, under the user and under /me: the same meeting.
		const byJoinId = await graph
			.api(`/users/${ORGANIZER.user.id}/onlineMeetings`)
			.filter(`joinMeetingIdSettings/joinMeetingId eq '${meeting.joinMeetingId}'`)
			.get();
		const byMe = await graph
			.api("/me/onlineMeetings")
			.filter(`joinMeetingIdSettings/joinMeetingId eq '${meeting.joinMeetingId}'`)
			.get();
		expect(byJoinId.value).toEqual([found]);
		expect(byMe.value).toEqual([found]);
		expect(byMe["@odata.context"]).toBe(`${bot.stub.base}/v1.0/$metadata#me/onlineMeetings`);
		// A link nobody made finds nothing.
		const unknownUrl = meeting.joinWebUrl.replace(/19%3Ameeting_[^%]+/, "19%3Ameeting_bm9ib2R5");
		const none = await graph
			.api("/me/onlineMeetings")
			.filter(`JoinWebUrl eq '${encodeURIComponent(unknownUrl)}'`)
			.get();
		expect(none.value).toEqual([]);

		// Join with what the lookup returned, as Microsoft's samples do.
		const call = await graph.api("/communications/calls").post({
			"@odata.type": "#microsoft.graph.call",
			callbackUri: bot.callbackUri,
			requestedModalities: ["audio"],
			mediaConfig: SERVICE_HOSTED,
			chatInfo: found.chatInfo,
			meetingInfo: {
				"@odata.type": "#microsoft.graph.organizerMeetingInfo",
				organizer: found.participants.organizer.identity,
			},
		});
		expect(call.state).toBe("establishing");
		expect(call.callChainId).toMatch(/^[0-9a-f-]{36}$/);
		const about = (n: Heard) => n.resourceUrl === `/communications/calls/${call.id}`;
		await heard((n) => about(n) && n.resourceData.state === "established");
		const roster = await heard((n) => n.resourceUrl === `/communications/calls/${call.id}/participants`);
		expect(JSON.stringify(roster.resourceData)).toContain("Alice");

		await graph.api(`/communications/calls/${call.id}`).delete();
		await heard((n) => about(n) && n.changeType === "deleted" && n.resourceData.state === "terminated");

		// The record is filed when the call ends and readable once its delay has passed: 404 before, as in Graph.
		const recordPath = `/communications/callRecords/${call.callChainId}`;
		const expand = "sessions($expand=segments),participants_v2";
		expect(await statusOf(graph.api(recordPath).expand(expand).get())).toBe(404);
		let record: CallRecord | undefined;
		await vi.waitFor(
			async () => {
				record = (await graph.api(recordPath).expand(expand).get()) as CallRecord;
			},
			{ timeout: RECORD_DELAY_MS + 10_000, interval: 250 },
		);
		expect(record).toMatchObject({
			"@odata.context": `${bot.stub.base}/v1.0/$metadata#communications/callRecords(sessions(segments()),participants_v2())/$entity`,
			id: call.callChainId,
			type: "groupCall",
			modalities: ["audio"],
			joinWebUrl: meeting.joinWebUrl,
			organizer_v2: { id: ORGANIZER.user.id, identity: { user: { displayName: "Jasmine Miller" } } },
		});
		const names = record?.participants_v2?.map((one) => Object.values(one.identity)[0]?.displayName);
		expect(names).toEqual(expect.arrayContaining(["Alice", "Calling Bot"]));
		// A group call: one session per participant, each with its segment, within the call's start and end.
		expect(record?.sessions).toHaveLength(names?.length ?? -1);
		for (const session of record?.sessions ?? []) {
			expect(session.segments).toHaveLength(1);
			expect(session.segments?.[0]?.startDateTime).toBe(record?.startDateTime);
		}
		expect(Date.parse(String(record?.endDateTime))).toBeGreaterThanOrEqual(Date.parse(String(record?.startDateTime)));

		// The same record over plain fetch, without $expand: no sessions, no participants.
		const plain = (await (await send("GET", `/v1.0${recordPath}`)).json()) as CallRecord;
		expect(plain).toMatchObject({ id: call.callChainId, type: "groupCall" });
		expect(plain).not.toHaveProperty("sessions");
		expect(plain).not.toHaveProperty("participants_v2");
	});
});
