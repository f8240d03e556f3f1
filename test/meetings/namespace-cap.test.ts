import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { registryObject } from "../../src/calls/call-object";
import { parseSettings } from "../../src/settings/parse-settings";
import { advance, configure, newTester, received } from "../calls/helpers";
import { send } from "../helpers/graph";
import { joinCall, meetingAction, meetingsUrl, newMeeting, person } from "./helpers";

// MEETINGS_PER_NAMESPACE (default 100): a namespace holds at most that many meetings; over it a create is
// refused Graph-shaped and changes nothing, however many race for the last places.

const CAP = 100;
const base = { ...env } as unknown as Record<string, unknown>;

describe("MEETINGS_PER_NAMESPACE", () => {
	it("defaults to 100, and a bad value fails closed naming it", () => {
		const parsed = parseSettings({ ...base, MEETINGS_PER_NAMESPACE: undefined });
		expect(parsed.ok && parsed.settings.meetingsPerNamespace).toBe(CAP);
		const five = parseSettings({ ...base, MEETINGS_PER_NAMESPACE: "5" });
		expect(five.ok && five.settings.meetingsPerNamespace).toBe(5);
		for (const bad of ["0", "lots", "-1", "10001", "1.5"]) {
			const refused = parseSettings({ ...base, MEETINGS_PER_NAMESPACE: bad });
			expect(refused.ok ? "" : refused.message).toContain("MEETINGS_PER_NAMESPACE");
		}
	});

	it("the registry's claim: one check and one write, an existing meeting always fits", async () => {
		const registry = registryObject(env, `cap-unit-${crypto.randomUUID()}`);
		expect(await registry.claimMeeting("m1", 2)).toBe("added");
		expect(await registry.claimMeeting("m2", 2)).toBe("added");
		expect(await registry.claimMeeting("m3", 2)).toBe("full");
		expect(await registry.claimMeeting("m1", 2)).toBe("listed");
		await registry.unlistMeeting("m2");
		expect(await registry.claimMeeting("m3", 2)).toBe("added");
	});
});

describe("a namespace at its cap", { timeout: 60_000 }, () => {
	it("refuses the creates beyond it, racing or not (403 QuotaLimitReached), and an organizer's join that would make one", async () => {
		const tester = newTester();
		await configure(tester);
		const bodies = Array.from({ length: CAP + 5 }, (_, i) => ({ joinMeetingId: String(900_000_000_000 + i) }));
		const answers = await Promise.all(bodies.map((body) => send("POST", meetingsUrl, body, { token: tester.token })));
		const statuses = answers.map((one) => one.status);
		expect(statuses.filter((status) => status === 201)).toHaveLength(CAP);
		const refused = answers.filter((one) => one.status === 403);
		expect(refused).toHaveLength(5);
		expect(await refused[0]?.json()).toMatchObject({
			error: { code: "QuotaLimitReached", message: expect.stringContaining("MEETINGS_PER_NAMESPACE") },
		});
		// Nothing of a refused one exists: not listed, not readable, and another namespace is not affected.
		const namespace = await tokenHashNamespace(tester.token);
		let listed = 0;
		let beforeSeq = Number.MAX_SAFE_INTEGER;
		for (;;) {
			const one = await registryObject(env, namespace).meetingPage(beforeSeq, 50);
			listed += one.meetings.length;
			if (!one.more) break;
			beforeSeq = one.meetings.at(-1)?.seq ?? 0;
		}
		expect(listed).toBe(CAP);
		const refusedIds = answers.flatMap((one, i) => (one.status === 403 ? [bodies[i]?.joinMeetingId] : []));
		const late = await send("POST", meetingsUrl, { joinMeetingId: refusedIds[0] }, { token: tester.token });
		expect(late.status).toBe(403);
		expect((await newMeeting(newTester("other"))).id).toBeTruthy();

		// An organizer's join would make one more: the call ends as a refused join does (inferred 403/2205).
		const join = await joinCall(tester, tester.callbackUri, {
			chatInfo: { threadId: `19:meeting_full-${crypto.randomUUID()}@thread.v2`, messageId: "0" },
			meetingInfo: {
				"@odata.type": "#microsoft.graph.organizerMeetingInfo",
				organizer: { user: { id: "org-1", displayName: "Org" } },
			},
		});
		await advance(tester, join.id, "setupFailed");
		const ended = (await received(tester, 2))[1];
		expect(ended).toMatchObject({ changeType: "deleted", resourceData: { resultInfo: { code: 403, subcode: 2205 } } });

		// Deleting one makes room for exactly one.
		const first = (await answers.find((one) => one.status === 201)?.json()) as { id: string };
		expect((await meetingAction(tester, "DELETE", first.id)).status).toBe(204);
		expect((await send("POST", meetingsUrl, { joinMeetingId: refusedIds[0] }, { token: tester.token })).status).toBe(
			201,
		);
		expect((await send("POST", meetingsUrl, { joinMeetingId: refusedIds[1] }, { token: tester.token })).status).toBe(
			403,
		);
	});

	it("a create refused for its body takes no place", async () => {
		const tester = newTester();
		const bad = await send(
			"POST",
			meetingsUrl,
			{ participants: [person("Same"), person("Same")] },
			{ token: tester.token },
		);
		expect(bad.status).toBe(400);
		const registry = registryObject(env, await tokenHashNamespace(tester.token));
		expect((await registry.meetingPage(Number.MAX_SAFE_INTEGER, 10)).meetings).toEqual([]);
	});
});
