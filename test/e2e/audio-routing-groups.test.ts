import { GraphError } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Bot, type Heard, startBot } from "./helpers/bot.ts";

// An app-hosted-media bot routes audio with audioRoutingGroups, against the served stub with Microsoft's
// own Graph JS client: it places a call to two people, groups their audio, reads, changes and deletes
// the groups, is refused a group naming someone not in the call, and sees a group go when its only
// receiver leaves (inferred).

const TOKEN = "audio-routing-groups-e2e";
const APP_HOSTED = { "@odata.type": "#microsoft.graph.appHostedMediaConfig", blob: "<media configuration>" };
const person = (n: number) => ({
	"@odata.type": "#microsoft.graph.invitationParticipantInfo",
	identity: { user: { id: `8a34a46b-0000-4000-8000-00000000000${n}`, displayName: `Callee ${n}` } },
});
type Group = { id: string; routingMode: string; sources: string[]; receivers: string[] };
let bot: Bot;

beforeAll(async () => {
	bot = await startBot(TOKEN, { setupMs: 200 });
});
afterAll(() => bot?.dispose());

async function heard(matches: (n: Heard) => boolean) {
	await vi.waitFor(() => expect(bot.heard.some(matches)).toBe(true), { timeout: 15_000, interval: 25 });
}

describe("audio routing groups with the Graph JS client", () => {
	it("creates, lists, reads, patches and deletes groups; refuses a stranger; drops a group whose receiver left", async () => {
		const graph = bot.sdk();
		const call = await graph.api("/communications/calls").post({
			"@odata.type": "#microsoft.graph.call",
			callbackUri: bot.callbackUri,
			requestedModalities: ["audio"],
			mediaConfig: APP_HOSTED,
			targets: [person(1), person(2)],
			tenantId: "tenant-1",
		});
		await heard((n) => n.resourceUrl === `/communications/calls/${call.id}` && n.resourceData.state === "established");
		const roster = (await graph.api(`/communications/calls/${call.id}/participants`).get()).value as { id: string }[];
		const [me, one, two] = roster.map((p) => p.id) as [string, string, string];
		expect(roster).toHaveLength(3);

		const groups = `/communications/calls/${call.id}/audioRoutingGroups`;
		const toOne: Group = { id: "to-one", routingMode: "oneToOne", sources: [me], receivers: [one] };
		const toAll: Group = { id: "to-all", routingMode: "multicast", sources: [me], receivers: [one] };
		expect(await graph.api(groups).post(toOne)).toMatchObject(toOne);
		expect(await graph.api(groups).post(toAll)).toMatchObject(toAll);
		expect(((await graph.api(groups).get()).value as Group[]).map((g) => g.id)).toEqual(["to-one", "to-all"]);
		expect(await graph.api(`${groups}/to-all`).patch({ receivers: [one, two] })).toMatchObject({
			receivers: [one, two],
		});
		expect(await graph.api(`${groups}/to-all`).get()).toMatchObject({ ...toAll, receivers: [one, two] });

		// Someone not in the call: a 400 naming the field, nothing stored.
		const refused = await graph
			.api(groups)
			.post({ id: "stranger", routingMode: "oneToOne", sources: [me], receivers: ["not-in-the-call"] })
			.catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(GraphError);
		expect((refused as GraphError).statusCode).toBe(400);
		expect((refused as GraphError).message).toContain("receivers[0]");

		// Callee 1 leaves: the oneToOne group to them goes, the multicast keeps Callee 2 (inferred).
		await graph.api(`/communications/calls/${call.id}/participants/${one}`).delete();
		await vi.waitFor(async () =>
			expect(((await graph.api(groups).get()).value as Group[]).map((g) => [g.id, g.receivers])).toEqual([
				["to-all", [two]],
			]),
		);
		await graph.api(`${groups}/to-all`).delete();
		expect((await graph.api(groups).get()).value).toEqual([]);
		await graph.api(`/communications/calls/${call.id}`).delete();
	});
});
