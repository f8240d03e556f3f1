import { describe, expect, it } from "vitest";
import {
	CALL_REQUESTS,
	CALL_STATES,
	CALL_TIMERS,
	type CallRequest,
	type CallState,
	mayAct,
} from "../../src/objects/call/call-states";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import {
	advance,
	callUrl,
	configure,
	newTester,
	received,
	SERVICE_HOSTED,
	startIncoming,
	TARGET,
	type Tester,
} from "./helpers";

// The table in src/objects/call/call-states.ts, checked over HTTP: every request in every state the
// stub reaches either does what the table says or is refused, and the refusal changes nothing.

const REQUESTS: Record<CallRequest, (tester: Tester, callId: string) => Promise<Response>> = {
	answer: (t, id) =>
		send(
			"POST",
			`${callUrl(id)}/answer`,
			{ callbackUri: t.callbackUri, mediaConfig: SERVICE_HOSTED },
			{ token: t.token },
		),
	reject: (t, id) => send("POST", `${callUrl(id)}/reject`, {}, { token: t.token }),
	redirect: (t, id) => send("POST", `${callUrl(id)}/redirect`, { targets: [TARGET] }, { token: t.token }),
	transfer: (t, id) => send("POST", `${callUrl(id)}/transfer`, { transferTarget: TARGET }, { token: t.token }),
	keepAlive: (t, id) => send("POST", `${callUrl(id)}/keepAlive`, undefined, { token: t.token }),
	hangUp: (t, id) => send("DELETE", callUrl(id), undefined, { token: t.token }),
	farHangUp: (t, id) => send("POST", `${ORIGIN}/_stub/calls/${id}/hangup`, undefined, { token: t.token }),
};

/** A call brought into `state` through the routes themselves; how many notifications that took. */
async function callIn(state: CallState, tester: Tester): Promise<{ id: string; heard: number }> {
	const { id } = await startIncoming(tester);
	if (state === "incoming") return { id, heard: 1 };
	await REQUESTS.answer(tester, id);
	if (state === "establishing") return { id, heard: 2 };
	await advance(tester, id, "established", "audioActive");
	await received(tester, 4);
	if (state === "established") return { id, heard: 4 };
	if (state === "transferring") {
		await REQUESTS.transfer(tester, id);
		return { id, heard: 5 };
	}
	await REQUESTS.hangUp(tester, id);
	return { id, heard: 6 };
}

const STATES: CallState[] = ["incoming", "establishing", "established", "transferring", "terminated"];
const cases = Object.keys(REQUESTS).flatMap((request) =>
	STATES.map((state) => [request as CallRequest, state] as const),
);

describe("the call-state table", () => {
	it.each(cases)("%s on a call that is %s", async (request, state) => {
		const tester = newTester(request);
		await configure(tester);
		const call = await callIn(state, tester);
		const before = await received(tester, call.heard);
		const response = await REQUESTS[request](tester, call.id);
		if (state === "terminated") {
			expect(response.status).toBe(404);
			expect((await errorOf(response)).error.code).toBe("8522");
		} else if (mayAct(CALL_REQUESTS[request], state)) {
			expect(response.status).toBeLessThan(300);
		} else {
			expect(response.status).toBe(400);
			expect((await errorOf(response)).error).toMatchObject({
				code: "BadRequest",
				message: expect.stringContaining(state),
			});
			const after = await json(await send("GET", callUrl(call.id), undefined, { token: tester.token }));
			expect(after.state).toBe(state);
			expect(await received(tester, 0)).toHaveLength(before.length);
		}
	});
});

describe("the table itself", () => {
	const moves = [...Object.values(CALL_REQUESTS), ...Object.values(CALL_TIMERS)];

	it("names only Graph's call states, and nothing acts on a terminated call", () => {
		for (const move of moves) {
			for (const state of move.from) expect(CALL_STATES).toContain(state);
			expect(move.from).not.toContain("terminated");
			if (move.to !== "unchanged") expect(CALL_STATES).toContain(move.to);
		}
	});
});

describe("arrival order", () => {
	it("answer and reject sent together: one wins, the other is refused, and the bot hears only the winner's story", async () => {
		const tester = newTester("race");
		await configure(tester);
		const { id } = await startIncoming(tester);
		const [answer, reject] = await Promise.all([REQUESTS.answer(tester, id), REQUESTS.reject(tester, id)]);
		// Answer first: the reject finds an establishing call (400). Reject first: the call is gone (404).
		const answered = answer.status === 202;
		expect([answer.status, reject.status]).toEqual(answered ? [202, 400] : [404, 202]);
		const heard = await received(tester, 2);
		const story = heard.map((n) => `${n.changeType}:${String(n.resourceData.state ?? "-")}`);
		expect(story).toEqual(["created:incoming", answered ? "updated:establishing" : "deleted:-"]);
	});

	it("405 for other methods on the stub's call controls", async () => {
		const tester = newTester("methods");
		for (const url of [`${ORIGIN}/_stub/incoming-calls`, `${ORIGIN}/_stub/calls/some-call/hangup`]) {
			const response = await send("GET", url, undefined, { token: tester.token });
			expect(response.status).toBe(405);
			expect(response.headers.get("Allow")).toBe("POST");
		}
	});
});
