import { describe, expect, it } from "vitest";
import { callUrl, configure, newTester } from "../calls/helpers";
import { send } from "../helpers/graph";
import { expectConforms } from "../openapi/conforms";
import { byJoinId, connect, joinCall, meetingAction, meetingsUrl, newMeeting, person, rosters } from "./helpers";

// The new routes' real responses against the OpenAPI document (status and body schema).

describe("content sharing and the meetings list conform to the OpenAPI document", { timeout: 20_000 }, () => {
	it("GET …/contentSharingSessions[/{sid}] (both versions, and 404) and GET /_stub/meetings (paged)", async () => {
		const tester = newTester();
		await configure(tester);
		const meeting = await newMeeting(tester, { participants: [person("Alice")] });
		await newMeeting(tester);
		const bot = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(meeting.joinMeetingId) });
		await connect(tester, bot.id);
		await rosters(tester.hook, 1);
		await meetingAction(tester, "POST", `${meeting.id}/participants/Alice/startSharing`);
		const checked = async (url: string, status: number) => {
			const response = await send("GET", url, undefined, { token: tester.token });
			expect(response.status).toBe(status);
			await expectConforms("GET", url, response);
			return response;
		};
		for (const version of ["v1.0", "beta"]) {
			const sessions = `${callUrl(bot.id, version)}/contentSharingSessions`;
			const list = (await (await checked(sessions, 200)).json()) as { value: { id: string }[] };
			expect(list.value).toHaveLength(1);
			await checked(`${sessions}/${list.value[0]?.id}`, 200);
			await checked(`${sessions}/unknown`, 404);
		}
		const first = (await (await checked(`${meetingsUrl}?$top=1`, 200)).json()) as { "@odata.nextLink": string };
		await checked(first["@odata.nextLink"], 200);
	});
});
