import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { registryObject } from "../../src/calls/call-object";
import { configure, newTester, type Tester } from "../calls/helpers";
import { ORIGIN, send } from "../helpers/graph";
import { byJoinId, connect, joinCall, meetingAction, meetingsUrl, newMeeting, person, rosters } from "./helpers";

// GET /_stub/meetings: the namespace's meetings, newest first, paged as /_stub/calls; a deleted meeting
// is unlisted; another namespace sees none of them.

type Page = {
	value: { id: string; createdBy: string; participantCount: number; callCount: number }[];
	"@odata.nextLink"?: string;
};

async function page(tester: Tester, url = meetingsUrl) {
	const response = await send("GET", url, undefined, { token: tester.token });
	expect(response.status, await response.clone().text()).toBe(200);
	return { body: (await response.json()) as Page, rowsRead: Number(response.headers.get("x-stub-rows-read")) };
}

const listedIds = async (tester: Tester) => (await page(tester)).body.value.map((one) => one.id);

describe("the meetings of a namespace", { timeout: 20_000 }, () => {
	it("are listed newest first, a page at a time, each page costing its own size", async () => {
		const tester = newTester();
		const made: string[] = [];
		for (let i = 0; i < 5; i++) made.push((await newMeeting(tester, { participants: [person(`P${i}`)] })).id);
		const seen: string[] = [];
		let url: string | undefined = `${meetingsUrl}?$top=2`;
		const reads: number[] = [];
		while (url) {
			const { body, rowsRead } = await page(tester, url);
			expect(body.value.length).toBeLessThanOrEqual(2);
			seen.push(...body.value.map((one) => one.id));
			reads.push(rowsRead);
			url = body["@odata.nextLink"];
		}
		expect(seen).toEqual([...made].reverse());
		expect(Math.max(...reads)).toBeLessThanOrEqual(3); // $top + 1, however many meetings there are
		expect((await page(tester)).body.value[0]).toMatchObject({
			createdBy: "tester",
			participantCount: 1,
			callCount: 0,
		});
		const bad = await send("GET", `${meetingsUrl}?$top=0`, undefined, { token: tester.token });
		expect(bad.status).toBe(400);
		expect(await bad.json()).toMatchObject({ error: { code: "BadRequest" } });
	});

	it("are invisible to another namespace, whose skip tokens do not page them", async () => {
		const alice = newTester("alice");
		const bob = newTester("bob");
		for (let i = 0; i < 3; i++) await newMeeting(alice);
		expect((await page(bob)).body.value).toEqual([]);
		const next = (await page(alice, `${meetingsUrl}?$top=1`)).body["@odata.nextLink"] ?? "";
		expect(next).toContain("$skiptoken=");
		const stolen = await send("GET", next, undefined, { token: bob.token });
		expect(stolen.status).toBe(400);
		// A /_stub/calls token is not a /_stub/meetings token either.
		const skiptoken = new URL(next).searchParams.get("$skiptoken");
		const crossed = await send("GET", `${ORIGIN}/_stub/calls?$skiptoken=${skiptoken}`, undefined, {
			token: alice.token,
		});
		expect(crossed.status).toBe(400);
	});

	it("lose a deleted meeting; keep theirs through a reset of the calls; list a meeting a join made", async () => {
		const tester = newTester();
		await configure(tester);
		const kept = await newMeeting(tester);
		const gone = await newMeeting(tester);
		expect((await meetingAction(tester, "DELETE", gone.id)).status).toBe(204);
		expect(await listedIds(tester)).toEqual([kept.id]);

		// A bot joins the kept meeting; DELETE /_stub/calls resets the calls, not the meetings.
		const bot = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(kept.joinMeetingId) });
		await connect(tester, bot.id);
		await rosters(tester.hook, 1);
		expect((await send("DELETE", `${ORIGIN}/_stub/calls`, undefined, { token: tester.token })).status).toBe(204);
		expect(await listedIds(tester)).toEqual([kept.id]);
		await meetingAction(tester, "POST", `${kept.id}/participants`, person("Carol")); // the meeting drops the wiped call
		await vi.waitFor(async () => expect((await page(tester)).body.value[0]?.callCount).toBe(0));

		// An organizer's join makes a meeting (inferred): it is listed as the join's.
		const thread = `19:meeting_listed-by-join-${crypto.randomUUID()}@thread.v2`;
		await joinCall(tester, tester.callbackUri, {
			chatInfo: { threadId: thread, messageId: "0" },
			meetingInfo: {
				"@odata.type": "#microsoft.graph.organizerMeetingInfo",
				organizer: { user: { id: "org-1", displayName: "Org" } },
			},
		});
		const listed = (await page(tester)).body.value;
		expect(listed.map((one) => one.id)).toEqual([thread, kept.id]);
		expect(listed[0]).toMatchObject({ createdBy: "join", callCount: 1 });
	});

	it("leave out a meeting deleted while the page is read", async () => {
		const tester = newTester();
		const first = await newMeeting(tester);
		const second = await newMeeting(tester);
		const [listed, deleted] = await Promise.all([page(tester), meetingAction(tester, "DELETE", second.id)]);
		expect(deleted.status).toBe(204);
		// Either before or after the delete, never an error nor a half-gone meeting.
		expect([[second.id, first.id], [first.id]]).toContainEqual(listed.body.value.map((one) => one.id));
		expect(await listedIds(tester)).toEqual([first.id]);
		// A registry row whose meeting has no object behind it any more (deleted between the two reads) is skipped.
		const registry = registryObject(env, await tokenHashNamespace(tester.token));
		await runInDurableObject(registry, (_, state) => {
			state.storage.sql.exec("INSERT INTO meetings (meeting_id, listed_at) VALUES (?, ?)", crypto.randomUUID(), "x");
		});
		expect(await listedIds(tester)).toEqual([first.id]);
	});
});
