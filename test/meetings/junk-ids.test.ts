import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newTester } from "../calls/helpers";
import { errorOf, send } from "../helpers/graph";
import { byJoinId, joinCall, meetingAction, meetingsUrl, newMeeting, person } from "./helpers";

// A meeting id nobody made names no Durable Object: the tester's controls, the online-meeting lookups and
// a join by joinMeetingId or token ask the namespace's registry first, so junk ids make no objects.

const junkGuid = (i: number) => `0000${String(i).padStart(4, "0")}-0000-4000-8000-000000000000`;

describe("meeting ids nobody made", () => {
	it("are 404 (or an empty lookup, or a failed join) and create no meeting object", async () => {
		const tester = newTester();
		const made = await newMeeting(tester, { participants: [person("Alice")] });
		const before = (await listDurableObjectIds(env.MEETINGS)).length;
		for (let i = 0; i < 20; i++) {
			const id = junkGuid(i);
			for (const [method, path] of [
				["GET", id],
				["DELETE", id],
				["POST", `${id}/participants/alice/mute`],
				["DELETE", `${id}/participants/alice`],
			] as const) {
				const answer = await meetingAction(tester, method, path);
				expect(answer.status, `${method} ${path}`).toBe(404);
				expect((await errorOf(answer)).error.code).toBeTruthy();
			}
			const compliance = await send("GET", `${meetingsUrl.replace("meetings", "compliance-calls")}/${id}`, undefined, {
				token: tester.token,
			});
			expect(compliance.status).toBe(404);
			const lookup = await send(
				"GET",
				`${meetingsUrl.replace("/_stub/meetings", "/v1.0/me/onlineMeetings")}?$filter=joinMeetingIdSettings/joinMeetingId eq '${9000 + i}'`,
				undefined,
				{ token: tester.token },
			);
			expect(((await lookup.json()) as { value: unknown[] }).value).toEqual([]);
			await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId(String(7000 + i)) });
		}
		expect((await listDurableObjectIds(env.MEETINGS)).length).toBe(before);
		// The meeting that was made is still reached by every path.
		expect((await meetingAction(tester, "GET", made.id)).status).toBe(200);
	});
});
