import { describe, expect, it, vi } from "vitest";
import { ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { receivedAt, receiverUrl } from "../simulation/helpers";
import { callUrl, newTester, SERVICE_HOSTED, startIncoming, type Tester } from "./helpers";

// The incoming call's `created` notification may follow the bot's 307/308 (routing the call to the
// right instance), each hop held to the callback rules; every other notification never follows.

type Attempt = { attempt: number; status: number | null; error: string | null; hops?: unknown[] };
type Journal = { value: { changeType: string; state: string; attempts: Attempt[] }[] };

const journalOf = async (tester: Tester, callId: string) =>
	(await (
		await send("GET", `${ORIGIN}/_stub/calls/${callId}/notifications`, undefined, { token: tester.token })
	).json()) as Journal;

/** The first attempt of the call's notification number `index`, once made. */
async function firstAttempt(tester: Tester, callId: string, index = 0) {
	let attempt: Attempt | undefined;
	await vi.waitFor(
		async () => {
			attempt = (await journalOf(tester, callId)).value[index]?.attempts[0];
			expect(attempt).toBeDefined();
		},
		{ timeout: 10_000, interval: 20 },
	);
	return attempt as Attempt;
}

/** Makes the receiver answer `path` with `status` + `Location: location` (its first 1000 requests). */
const redirect = (path: string, status: number, location: string) =>
	fetch(`${receiverUrl()}/_control${path}`, {
		method: "POST",
		body: JSON.stringify({ failFirst: 1000, status, location }),
	});

const path = (name: string) => `/${name}-${uniqueCallId()}`;
const at = (p: string) => `${receiverUrl()}${p}`;

describe("an incoming call's notification answered with a redirect", () => {
	it("307 to an allowed host: followed and delivered there; the hop is in the journal", async () => {
		const tester = newTester();
		const landing = path("landing");
		await redirect(tester.hook, 307, at(landing));
		const call = await startIncoming(tester);
		const attempt = await firstAttempt(tester, call.id);
		expect(attempt).toMatchObject({ status: 202, error: null, hops: [{ status: 307, location: at(landing) }] });
		const [delivered] = await receivedAt(landing);
		expect(JSON.parse(delivered?.body ?? "{}").value[0]).toMatchObject({
			changeType: "created",
			resourceData: { id: call.id },
		});
		expect(delivered?.headers.authorization).toMatch(/^Bearer /); // the same request, re-sent
		expect((await receivedAt(tester.hook)).length).toBe(1);
		expect((await journalOf(tester, call.id)).value[0]?.state).toBe("delivered");
	});

	it("a relative 308 Location, then two more hops: 3 hops followed, each in the journal", async () => {
		const tester = newTester();
		const [a, b, landing] = [path("a"), path("b"), path("landing")];
		await redirect(tester.hook, 308, a); // relative: resolved against the URL that answered
		await redirect(a, 307, at(b));
		await redirect(b, 308, at(landing));
		const call = await startIncoming(tester);
		const attempt = await firstAttempt(tester, call.id);
		expect(attempt.status).toBe(202);
		expect(attempt.hops).toEqual([
			{ status: 308, location: at(a) },
			{ status: 307, location: at(b) },
			{ status: 308, location: at(landing) },
		]);
		expect((await receivedAt(landing)).length).toBe(1);
	});

	it("a 4th hop is a failed attempt; its target is never asked", async () => {
		const tester = newTester();
		const [a, b, c, d] = [path("a"), path("b"), path("c"), path("d")];
		await redirect(tester.hook, 307, at(a));
		await redirect(a, 307, at(b));
		await redirect(b, 307, at(c));
		await redirect(c, 307, at(d));
		const call = await startIncoming(tester);
		const attempt = await firstAttempt(tester, call.id);
		expect(attempt.status).toBe(307);
		expect(attempt.error).toBe(`HTTP 307 redirect to ${at(d)} not followed: more than 3 redirects`);
		expect(attempt.hops).toHaveLength(4);
		expect(await receivedAt(d)).toEqual([]);
		expect((await journalOf(tester, call.id)).value[0]?.state).toBe("pending"); // retried like any failure
	});

	const refused: [string, () => string, string][] = [
		[
			"0.0.0.0 (refused by the callback rules)",
			() => `http://0.0.0.0:${new URL(receiverUrl()).port}`,
			"the Location must be https, or http to a loopback address",
		],
		["a host outside CALLBACK_HOSTS", () => "https://elsewhere.example", "the Location may only name a loopback host"],
	];
	for (const [name, origin, why] of refused)
		it(`307 to ${name}: a failed attempt, never a request there`, async () => {
			const tester = newTester();
			const landing = path("landing");
			const location = `${origin()}${landing}`;
			await redirect(tester.hook, 307, location);
			const call = await startIncoming(tester);
			const attempt = await firstAttempt(tester, call.id);
			expect(attempt.status).toBe(307);
			expect(attempt.error).toContain(`HTTP 307 redirect to ${new URL(location).href} not followed: ${why}`);
			expect(attempt.hops).toEqual([{ status: 307, location: new URL(location).href }]);
			expect(await receivedAt(landing)).toEqual([]);
		});

	it("a loop, and a 301/302/303, are failed attempts", async () => {
		const looping = newTester();
		const a = path("a");
		await redirect(looping.hook, 307, a);
		await redirect(a, 307, at(looping.hook));
		const loop = await startIncoming(looping);
		expect((await firstAttempt(looping, loop.id)).error).toBe(
			`HTTP 307 redirect to ${at(looping.hook)} not followed: a redirect loop`,
		);
		for (const status of [301, 302, 303]) {
			const tester = newTester();
			const landing = path("landing");
			await redirect(tester.hook, status, at(landing));
			const call = await startIncoming(tester);
			expect(await firstAttempt(tester, call.id)).toMatchObject({
				status,
				error: `HTTP ${status} redirect to ${at(landing)} not followed: only 307 and 308 are followed`,
			});
			expect(await receivedAt(landing)).toEqual([]);
		}
	});

	it("the call's later notifications never follow: their 307 is a failed attempt without hops", async () => {
		const tester = newTester();
		const answering = newTester("answer");
		const landing = path("landing");
		await redirect(answering.hook, 307, at(landing));
		const call = await startIncoming(tester);
		const answered = await send(
			"POST",
			`${callUrl(call.id)}/answer`,
			{ callbackUri: answering.callbackUri, mediaConfig: SERVICE_HOSTED, acceptedModalities: ["audio"] },
			{ token: tester.token },
		);
		expect(answered.status).toBe(202);
		const attempt = await firstAttempt(tester, call.id, 1);
		expect(attempt).toEqual({
			attempt: 1,
			dateTime: expect.any(String),
			status: 307,
			error: `HTTP 307 redirect to ${at(landing)} not followed`,
		});
		expect(await receivedAt(landing)).toEqual([]);
	});
});
