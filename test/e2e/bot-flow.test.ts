import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Bot, SERVICE_HOSTED, startBot } from "./helpers/bot.ts";

// A real bot's flow: the official Graph JS client for its requests, a loopback HTTP server as its
// calling webhook, and the stub served over https (the SDK sends tokens only to https hosts).

const TOKEN = "bot-flow-token";
let bot: Bot;
const sdk = () => bot.sdk();

/** The states the bot heard about `callId`, as `changeType:state[+audio]`, once there are `count`. */
async function statesHeard(callId: string, count: number): Promise<string[]> {
	const states = () =>
		bot.heard
			.filter((n) => n.resourceUrl === `/communications/calls/${callId}`)
			.map((n) => {
				const data = n.resourceData;
				return `${n.changeType}:${data.state}${data.mediaState?.audio === "active" ? "+audio" : ""}`;
			});
	await vi.waitFor(() => expect(states().length).toBeGreaterThanOrEqual(count), { timeout: 15_000, interval: 50 });
	return states();
}

const lastAbout = (callId: string) =>
	bot.heard.filter((n) => n.resourceUrl === `/communications/calls/${callId}`).at(-1);

// Quick setup for the test: established 200 ms after establishing.
beforeAll(async () => {
	bot = await startBot(TOKEN, { setupMs: 200 });
});
afterAll(() => bot?.dispose());

describe("a bot's calls against the served stub", () => {
	it("answers an incoming call on `created`, hears it established with audio, hangs up", async () => {
		const started = await bot.post("/_stub/incoming-calls", { callbackUri: bot.callbackUri });
		expect(started.status).toBe(201);
		const { id } = (await started.json()) as { id: string };

		expect(await statesHeard(id, 4)).toEqual([
			"created:incoming",
			"updated:establishing",
			"updated:established",
			"updated:established+audio",
		]);
		const call = await sdk().api(`/communications/calls/${id}`).get();
		expect(call).toMatchObject({ id, state: "established", direction: "incoming", callbackUri: bot.callbackUri });

		await sdk().api(`/communications/calls/${id}`).delete();
		expect((await statesHeard(id, 6)).slice(4)).toEqual(["updated:terminating", "deleted:terminated"]);
		expect(lastAbout(id)?.resourceData.resultInfo).toMatchObject({ code: 200, subcode: 5001 });
		expect(lastAbout(id)?.resource).toBe(`/app/calls/${id}`);
	});

	it("places an outgoing call that ends when the far side hangs up", async () => {
		const created = await sdk()
			.api("/communications/calls")
			.post({
				"@odata.type": "#microsoft.graph.call",
				callbackUri: bot.callbackUri,
				targets: [
					{
						"@odata.type": "#microsoft.graph.invitationParticipantInfo",
						identity: {
							"@odata.type": "#microsoft.graph.identitySet",
							user: { id: "callee-1", displayName: "Callee" },
						},
					},
				],
				requestedModalities: ["audio"],
				mediaConfig: SERVICE_HOSTED,
			});
		expect(created).toMatchObject({ state: "establishing", direction: "outgoing" });
		const id = created.id as string;
		expect(await statesHeard(id, 3)).toEqual([
			"updated:establishing",
			"updated:established",
			"updated:established+audio",
		]);

		const hangup = await fetch(`${bot.stub.base}/_stub/calls/${id}/hangup`, {
			method: "POST",
			headers: { Authorization: `Bearer ${TOKEN}` },
		});
		expect(hangup.status).toBe(202);
		expect((await statesHeard(id, 4))[3]).toBe("deleted:terminated");
		expect(lastAbout(id)?.resourceData.resultInfo).toMatchObject({ code: 200, subcode: 5002 });
		await expect(sdk().api(`/communications/calls/${id}`).get()).rejects.toMatchObject({
			statusCode: 404,
			code: "8522",
		});
	});
});
