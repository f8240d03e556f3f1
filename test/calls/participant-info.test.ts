import { describe, expect, it } from "vitest";
import { json, send } from "../helpers/graph";
import {
	advance,
	callUrl,
	configure,
	createCall,
	newTester,
	received,
	SERVICE_HOSTED,
	startIncoming,
	TARGET,
} from "./helpers";

// A participant's `info` is declared participantInfo; a call's targets are invitationParticipantInfo. A
// participant made from a target carries participantInfo's type and none of the invitation-only properties.

const INVITATION_ONLY = ["hidden", "replacesCallId", "removeFromDefaultAudioRoutingGroup"];

type Participant = { id: string; info: Record<string, unknown> };

function expectParticipantInfo(participants: Participant[]) {
	expect(participants.length).toBeGreaterThan(0);
	for (const { info } of participants) {
		expect(info["@odata.type"]).toBe("#microsoft.graph.participantInfo");
		for (const name of INVITATION_ONLY) expect(info, name).not.toHaveProperty(name);
		expect(info).toHaveProperty("identity");
	}
}

describe("a participant made from a call's target", () => {
	it("an outgoing call's target participant has a participantInfo as its info", async () => {
		const tester = newTester();
		await configure(tester);
		const target = { ...TARGET, hidden: false, removeFromDefaultAudioRoutingGroup: false };
		const call = await createCall(tester, { targets: [target] });
		const list = await json(await send("GET", `${callUrl(call.id)}/participants`, undefined, { token: tester.token }));
		const participants = list.value as Participant[];
		expect(participants).toHaveLength(2);
		expectParticipantInfo(participants);
	});

	it("an incoming call's bot participant (made from its first target) has a participantInfo as its info", async () => {
		const tester = newTester();
		await configure(tester, { calling: { setupMs: 3_600_000, actionMs: 3_600_000 } });
		const call = await startIncoming(tester);
		const answer = { callbackUri: tester.callbackUri, mediaConfig: SERVICE_HOSTED, acceptedModalities: ["audio"] };
		expect((await send("POST", `${callUrl(call.id)}/answer`, answer, { token: tester.token })).status).toBe(202);
		await advance(tester, call.id, "established", "audioActive");
		await received(tester, 4);
		// Muting the bot adds its participant, made from the call's first target, to the roster.
		const mute = await send("POST", `${callUrl(call.id)}/mute`, {}, { token: tester.token });
		expect(mute.status, await mute.clone().text()).toBeLessThan(300);
		const list = await json(await send("GET", `${callUrl(call.id)}/participants`, undefined, { token: tester.token }));
		const participants = list.value as Participant[];
		expect(participants.map((p) => p.id)).toContain(call.myParticipantId);
		expectParticipantInfo(participants);
		// participantInfo declares endpointType on v1.0 too: the v1.0 view keeps it (invitation's is beta-only).
		const bot = participants.find((p) => p.id === call.myParticipantId);
		expect(bot?.info).toHaveProperty("endpointType", null);
	});
});
