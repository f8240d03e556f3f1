import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Received, startReceiver } from "../receiver/notification-receiver.ts";
import { postJson, type RunningStub, startStub } from "./helpers/stub.ts";

// Two bots join one scripted meeting on the served stub; a real receiver hears both.

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let stub: RunningStub;
beforeAll(async () => {
	receiver = await startReceiver();
	stub = await startStub();
});
afterAll(async () => {
	await stub?.dispose();
	await new Promise<void>((resolve) => receiver?.server.close(() => resolve()));
});

type Roster = { id: string; info: { identity: { user?: { displayName: string } } }; isMuted: boolean }[];

/** The roster notifications `path` has heard (each notification once, retries dropped), once there are `count`. */
async function rosters(path: string, count: number, timeoutMs = 20_000): Promise<Roster[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const seen = new Map<string, Received>();
		for (const r of receiver.received.get(path) ?? []) seen.set(r.headers["x-stub-notification-sequence"] ?? "", r);
		const found = [...seen.values()]
			.flatMap((r) => (JSON.parse(r.body) as { value: { resourceUrl: string; resourceData: unknown }[] }).value)
			.filter((one) => one.resourceUrl.endsWith("/participants"))
			.map((one) => one.resourceData as Roster);
		if (found.length >= count || Date.now() > deadline) return found;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const person = (name: string) => ({ key: name, identity: { user: { id: `${name}-id`, displayName: name } } });
const names = (roster: Roster) =>
	roster.map((one) => `${one.info.identity.user?.displayName ?? "bot"}${one.isMuted ? " (muted)" : ""}`);

describe("a scripted meeting, end to end", () => {
	it("gives two bots joined by joinMeetingId the same roster changes in the same order", async () => {
		const token = `e2e-meeting-${crypto.randomUUID()}`;
		const config = await fetch(`${stub.base}/_stub/config`, {
			method: "PUT",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({ calling: { setupMs: 200 } }),
		});
		expect(config.status).toBe(200);
		const made = await postJson(
			`${stub.base}/_stub/meetings`,
			{
				passcode: "psw123",
				participants: [person("Alice")],
				script: [
					{ atMs: 2500, action: "join", person: person("Bob") },
					{ atMs: 2700, action: "mute", key: "Alice" },
					{ atMs: 2900, action: "leave", key: "Bob" },
				],
			},
			token,
		);
		expect(made.status).toBe(201);
		const meeting = (await made.json()) as { joinMeetingId: string };
		const join = (hook: string) =>
			postJson(
				`${stub.base}/v1.0/communications/calls`,
				{
					callbackUri: `${receiver.url}${hook}`,
					requestedModalities: ["audio"],
					mediaConfig: { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
					meetingInfo: {
						"@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo",
						joinMeetingId: meeting.joinMeetingId,
						passcode: "psw123",
					},
				},
				token,
			);
		const hooks = [`/bot-a-${crypto.randomUUID()}`, `/bot-b-${crypto.randomUUID()}`];
		for (const hook of hooks) expect((await join(hook)).status).toBe(201);
		const [a, b] = await Promise.all(hooks.map((hook) => rosters(hook, 4)));
		expect(a?.map(names)).toEqual([
			["Alice", "bot", "bot"],
			["Alice", "bot", "bot", "Bob"],
			["Alice (muted)", "bot", "bot", "Bob"],
			["Alice (muted)", "bot", "bot"],
		]);
		expect(b).toEqual(a);
	});
});
