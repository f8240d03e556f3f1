import { describe, expect, it } from "vitest";
import { newTester } from "../calls/helpers";
import { ORIGIN, send } from "../helpers/graph";
import { act, establishedCall } from "./helpers";

// A call holds at most 250 participants: invites still running count, and a participant named twice in
// one roster change leaves once.

const person = (i: number) => ({ identity: { user: { id: `user-${i}`, displayName: `User ${i}` } } });
const roster = (tester: { token: string }, callId: string, body: unknown) =>
	send("POST", `${ORIGIN}/_stub/calls/${callId}/roster`, body, { token: tester.token });
const participantsOf = async (tester: { token: string }, callId: string) =>
	(
		(await (
			await send("GET", `${ORIGIN}/v1.0/communications/calls/${callId}/participants`, undefined, {
				token: tester.token,
			})
		).json()) as { value: { id: string }[] }
	).value;

describe("the participant bound", () => {
	it("counts invitees of invites still running", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const invite = () => act(tester, call.id, "participants/invite", { participants: [1, 2, 3, 4, 5].map(person) });
		const answers = await Promise.all(Array.from({ length: 60 }, invite));
		const accepted = answers.filter((response) => response.status === 200).length;
		const present = (await participantsOf(tester, call.id)).length;
		expect(present + accepted * 5).toBeLessThanOrEqual(250);
		expect(answers.some((response) => response.status === 400)).toBe(true);
	});

	it("lets a participant named twice in one change leave once", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		for (
			let batch = 0;
			batch < 9;
			batch++ // 25 a change at most
		)
			expect(
				(await roster(tester, call.id, { join: Array.from({ length: 25 }, (_, i) => person(batch * 25 + i)) })).status,
			).toBe(202);
		const present = await participantsOf(tester, call.id);
		const leaving = present[1]?.id ?? "";
		// Room for 250 - present; with one real leave, that is one more. Named 25 times, it still leaves once.
		const join = Array.from({ length: 250 - present.length + 2 }, (_, i) => person(1000 + i));
		expect(join.length).toBeLessThanOrEqual(25);
		const response = await roster(tester, call.id, { leave: Array(25).fill(leaving), join });
		expect(response.status).toBe(400);
		expect((await participantsOf(tester, call.id)).length).toBe(present.length);
	});
});
