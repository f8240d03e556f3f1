import { describe, expect, it } from "vitest";
import { ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { fastForward, putCallConfig, receivedAt, receiverUrl } from "./helpers";

// A redirect from the callback is a failed attempt, never followed: the callback rules were checked on the
// callbackUri only, so following would carry the notification (and a port scan) to hosts they refuse.

const TOKEN = "sim-token";

type Journal = {
	value: { state: string; attempts: { attempt: number; status: number | null; error: string | null }[] }[];
};
const journalOf = async (callId: string) =>
	(await (
		await send("GET", `${ORIGIN}/_stub/calls/${callId}/notifications`, undefined, { token: TOKEN })
	).json()) as Journal;

/** Runs the call's alarm (retries made due) until its first notification has had `count` attempts. */
async function attempted(callId: string, count: number) {
	for (let round = 0; round < 20; round++) {
		const journal = await journalOf(callId);
		if ((journal.value[0]?.attempts.length ?? 0) >= count) return journal;
		await fastForward(callId);
	}
	return journalOf(callId);
}

/** Makes the receiver answer every request to `path` with `status` and `Location: location`. */
const redirectFrom = (path: string, status: number, location: string) =>
	fetch(`${receiverUrl()}/_control${path}`, {
		method: "POST",
		body: JSON.stringify({ failFirst: 1000, status, location }),
	});

const port = () => new URL(receiverUrl()).port;

// Targets: the receiver itself (another path), and the two spellings of this machine the callback rules
// refuse when configured directly in local mode.
const TARGETS: [string, (path: string) => string][] = [
	["loopback", (path) => `${receiverUrl()}${path}`],
	["0.0.0.0", (path) => `http://0.0.0.0:${port()}${path}`],
	["[::ffff:127.0.0.1]", (path) => `http://[::ffff:127.0.0.1]:${port()}${path}`],
];

describe("a callback that answers with a redirect", () => {
	for (const status of [302, 307, 308])
		for (const [name, target] of TARGETS)
			it(`${status} to ${name}: a failed attempt naming the Location, retried, the target never asked`, async () => {
				const hook = `/hook-${uniqueCallId()}`;
				const landing = `/landing-${uniqueCallId()}`;
				const location = target(landing);
				await redirectFrom(hook, status, location);
				const callId = uniqueCallId("redirect");
				await putCallConfig(callId, {
					callbackUri: `${receiverUrl()}${hook}`,
					progression: { default: [{ status: "Running", afterMs: 100_000 }] },
				});
				expect(
					(
						await send(
							"POST",
							`${ORIGIN}/beta/communications/calls/${callId}/operations`,
							{ id: "op" },
							{ token: TOKEN },
						)
					).status,
				).toBe(201);

				const [notification] = (await attempted(callId, 2)).value;
				expect(notification?.state).toBe("pending");
				expect(notification?.attempts.map((a) => [a.attempt, a.status, a.error])).toEqual([
					[1, status, `HTTP ${status} redirect to ${location} not followed`],
					[2, status, `HTTP ${status} redirect to ${location} not followed`],
				]);
				expect((await receivedAt(hook)).length).toBe(2);
				expect(await receivedAt(landing)).toEqual([]);
			});

	it("a 3xx without a Location is a failed attempt too", async () => {
		const hook = `/hook-${uniqueCallId()}`;
		await fetch(`${receiverUrl()}/_control${hook}`, {
			method: "POST",
			body: JSON.stringify({ failFirst: 1000, status: 303 }),
		});
		const callId = uniqueCallId("redirect");
		await putCallConfig(callId, {
			callbackUri: `${receiverUrl()}${hook}`,
			progression: { default: [{ status: "Running", afterMs: 100_000 }] },
		});
		await send("POST", `${ORIGIN}/beta/communications/calls/${callId}/operations`, { id: "op" }, { token: TOKEN });
		const [notification] = (await attempted(callId, 1)).value;
		expect(notification?.attempts.map((a) => [a.status, a.error])).toEqual([[303, "HTTP 303 redirect not followed"]]);
	});
});
