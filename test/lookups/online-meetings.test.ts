import { describe, expect, it } from "vitest";
import { newTester, type Tester } from "../calls/helpers";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { newMeeting } from "../meetings/helpers";

// The onlineMeeting lookups a calling bot makes before it joins: by JoinWebUrl, by joinMeetingId, by id,
// per version, within the caller's namespace only; bad filters named in a 400.

const ORGANIZER = {
	user: {
		id: "5810cede-0000-4000-8000-00000000000a",
		displayName: "Jasmine Miller",
		userPrincipalName: "jm@contoso.test",
	},
};
const USER = ORGANIZER.user.id;
const usersUrl = (version = "v1.0", user = USER) => `${ORIGIN}/${version}/users/${user}/onlineMeetings`;
const filtered = (filter: string, base = usersUrl()) => `${base}?$filter=${encodeURIComponent(filter)}`;

type OnlineMeeting = Record<string, unknown> & {
	id: string;
	joinWebUrl: string;
	chatInfo: { threadId: string; messageId: string };
	joinMeetingIdSettings: { joinMeetingId: string; passcode: string | null; isPasscodeRequired: boolean } | null;
	participants: { organizer: { identity: unknown; upn: string | null; role: string } | null };
};
type Collection = { "@odata.context": string; value: OnlineMeeting[] };

const get = async (tester: Tester, url: string, status = 200) => {
	const response = await send("GET", url, undefined, { token: tester.token });
	expect(response.status, await response.clone().text()).toBe(status);
	return response;
};
const collection = async (tester: Tester, url: string) => (await (await get(tester, url)).json()) as Collection;

async function aMeeting(tester: Tester, extra: Record<string, unknown> = {}) {
	return newMeeting(tester, {
		joinMeetingId: String(100_000_000 + Math.floor(Math.random() * 899_999_999)),
		passcode: "s3cret",
		subject: "Weekly sync",
		organizer: ORGANIZER,
		tenantId: "tenant-1",
		...extra,
	});
}

describe("onlineMeeting lookups", () => {
	it("finds a tester's meeting by JoinWebUrl (encoded as the docs ask, or not) with what a bot joins by", async () => {
		const tester = newTester();
		const made = await aMeeting(tester);
		const meetingJoinUrl = (made as unknown as { joinWebUrl: string }).joinWebUrl;
		// The docs: the joinWebUrl URL-encoded inside the literal, the whole query encoded again.
		const encoded = await collection(tester, filtered(`JoinWebUrl eq '${encodeURIComponent(meetingJoinUrl)}'`));
		const plain = await collection(tester, filtered(`joinWebUrl eq '${meetingJoinUrl}'`));
		expect(encoded).toEqual(plain);
		expect(encoded["@odata.context"]).toBe(`${ORIGIN}/v1.0/$metadata#users('${USER}')/onlineMeetings`);
		expect(encoded.value).toHaveLength(1);
		const [meeting] = encoded.value;
		expect(meeting).toMatchObject({
			joinWebUrl: meetingJoinUrl,
			subject: "Weekly sync",
			chatInfo: { threadId: made.chatInfo.threadId, messageId: "0" },
			joinMeetingIdSettings: { joinMeetingId: made.joinMeetingId, passcode: "s3cret", isPasscodeRequired: true },
			participants: { organizer: { identity: ORGANIZER, upn: "jm@contoso.test", role: "presenter" }, attendees: [] },
			lobbyBypassSettings: { scope: "everyone", isDialInBypassEnabled: false },
		});
		// The id is Graph's form: base64 of 1*{organizer}*0**{thread}.
		expect(atob(meeting?.id ?? "")).toBe(`1*${USER}*0**${made.chatInfo.threadId}`);
		expect(meeting).not.toHaveProperty("joinUrl"); // beta's deprecated property, not on v1.0
	});

	it("finds it by joinMeetingId, under /me too, and by id; beta adds its joinUrl", async () => {
		const tester = newTester();
		const made = await aMeeting(tester, { passcode: null });
		const byJoinId = await collection(
			tester,
			filtered(`joinMeetingIdSettings/joinMeetingId eq '${made.joinMeetingId}'`),
		);
		const [meeting] = byJoinId.value;
		expect(meeting?.joinMeetingIdSettings).toEqual({
			"@odata.type": "#microsoft.graph.joinMeetingIdSettings",
			isPasscodeRequired: false,
			joinMeetingId: made.joinMeetingId,
			passcode: null,
		});
		const me = await collection(
			tester,
			filtered(`joinMeetingIdSettings/joinMeetingId eq '${made.joinMeetingId}'`, `${ORIGIN}/v1.0/me/onlineMeetings`),
		);
		expect(me.value).toEqual(byJoinId.value);
		expect(me["@odata.context"]).toBe(`${ORIGIN}/v1.0/$metadata#me/onlineMeetings`);

		const one = await json(await get(tester, `${usersUrl()}/${encodeURIComponent(meeting?.id ?? "")}`));
		expect(one).toMatchObject({ id: meeting?.id, joinWebUrl: meeting?.joinWebUrl });
		expect(one["@odata.context"]).toBe(`${ORIGIN}/v1.0/$metadata#users('${USER}')/onlineMeetings/$entity`);
		// The docs' older id form, {organizer}_{thread}, names the same meeting.
		const older = `${USER}_${made.chatInfo.threadId}`;
		expect((await json(await get(tester, `${usersUrl()}/${encodeURIComponent(older)}`))).id).toBe(meeting?.id);

		const beta = await json(await get(tester, `${usersUrl("beta")}/${encodeURIComponent(meeting?.id ?? "")}`));
		expect(beta.joinUrl).toBe(meeting?.joinWebUrl);
	});

	it("answers an empty collection when nothing matches, and 404 for an unknown id", async () => {
		const tester = newTester();
		const made = await aMeeting(tester);
		const other = made.chatInfo.threadId.replace("meeting_", "meeting_x");
		for (const filter of [
			"joinMeetingIdSettings/joinMeetingId eq '999888777666'",
			`JoinWebUrl eq 'https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(other)}/0'`,
			"JoinWebUrl eq 'https://example.test/not-a-meeting'",
		])
			expect((await collection(tester, filtered(filter))).value, filter).toEqual([]);
		const vtc = await collection(
			tester,
			filtered("VideoTeleconferenceId eq '123456789'", `${ORIGIN}/v1.0/communications/onlineMeetings`),
		);
		expect(vtc).toEqual({ "@odata.context": `${ORIGIN}/v1.0/$metadata#communications/onlineMeetings`, value: [] });

		const unknownId = btoa(`1*${USER}*0**19:meeting_nope@thread.v2`);
		const missing = await get(tester, `${usersUrl()}/${unknownId}`, 404);
		expect((await errorOf(missing)).error.code).toBe("itemNotFound");
		await get(tester, `${usersUrl()}/not-an-id`, 404);
		// Right thread, wrong organizer inside the id: not this meeting's id.
		const wrongOrganizer = btoa(`1*someone-else*0**${made.chatInfo.threadId}`);
		await get(tester, `${usersUrl()}/${wrongOrganizer}`, 404);
	});

	it("never finds another namespace's meeting", async () => {
		const owner = newTester();
		const stranger = newTester();
		const made = await aMeeting(owner);
		const joinUrl = (made as unknown as { joinWebUrl: string }).joinWebUrl;
		expect((await collection(owner, filtered(`JoinWebUrl eq '${joinUrl}'`))).value).toHaveLength(1);
		expect((await collection(stranger, filtered(`JoinWebUrl eq '${joinUrl}'`))).value).toEqual([]);
		const byId = await collection(stranger, filtered(`joinMeetingIdSettings/joinMeetingId eq '${made.joinMeetingId}'`));
		expect(byId.value).toEqual([]);
		const [mine] = (await collection(owner, filtered(`JoinWebUrl eq '${joinUrl}'`))).value;
		await get(stranger, `${usersUrl()}/${encodeURIComponent(mine?.id ?? "")}`, 404);
	});

	it("refuses a missing or unsupported $filter and other options with a 400 naming $filter, and needs a token", async () => {
		const tester = newTester();
		const cases: [string, string][] = [
			[usersUrl(), "$filter"],
			[filtered("subject eq 'x'"), "$filter"],
			[filtered("JoinWebUrl ne 'x'"), "$filter"],
			[filtered("JoinWebUrl eq ''"), "$filter"],
			[filtered("JoinWebUrl eq 'a' and subject eq 'b'"), "$filter"],
			[filtered("JoinWebUrl eq 'x'", `${ORIGIN}/v1.0/communications/onlineMeetings`), "$filter"],
		];
		for (const [url, target] of cases) {
			const response = await get(tester, url, 400);
			const { error } = await errorOf(response);
			expect(error.code, url).toBe("BadRequest");
			expect(
				error.details?.map((detail) => detail.target),
				url,
			).toEqual([target]);
		}
		const select = await get(tester, `${filtered("JoinWebUrl eq 'x'")}&$select=subject`, 400);
		expect((await errorOf(select)).error.message).toContain("$select");
		expect((await get(tester, `${usersUrl("v2.0")}?$filter=x`, 400)).status).toBe(400);
		const anonymous = await send("GET", filtered("JoinWebUrl eq 'x'"), undefined, { token: null });
		expect(anonymous.status).toBe(401);
	});
});
