import { describe, expect, it } from "vitest";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { callUrl, configure, newTester, received, startIncoming } from "./helpers";

// An incoming call with everything Graph's incoming-call notification carries: the policy-based
// recording invite of Graph's answer page (v1.0 call-answer, example 3), sent back as Graph sends it.

const OBSERVED = "30fa0a6b-2b1e-4cde-a3cf-7a1a1d8b0f01";
const CHAIN = "b7f1a0b0-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const user = {
	"@odata.type": "#microsoft.graph.identity",
	id: "8a34a46b-0000-4000-8000-0000000000aa",
	identityProvider: "AAD",
};
const recorder = {
	"@odata.type": "#microsoft.graph.identity",
	id: "c0ffee00-0000-4000-8000-0000000000bb",
	identityProvider: "AAD",
};

const POLICY_RECORDING_INVITE = {
	source: {
		"@odata.type": "#microsoft.graph.participantInfo",
		id: OBSERVED,
		identity: { "@odata.type": "#microsoft.graph.identitySet", user },
		endpointType: "default",
		region: "amer",
	},
	targets: [
		{
			"@odata.type": "#microsoft.graph.invitationParticipantInfo",
			identity: { "@odata.type": "#microsoft.graph.identitySet", applicationInstance: recorder },
			endpointType: "default",
			id: "d1d2d3d4-0000-4000-8000-0000000000cc",
			region: null,
			languageId: null,
		},
	],
	meetingInfo: { "@odata.type": "#microsoft.graph.tokenMeetingInfo", token: "join token" },
	tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
	callChainId: CHAIN,
	incomingContext: {
		"@odata.type": "#microsoft.graph.incomingContext",
		sourceParticipantId: OBSERVED,
		observedParticipantId: OBSERVED,
	},
	applicationMetadata: {
		botData: {
			mediaHostedRegion: "USEA",
			inviteReasons: ["PolicyBasedRecording"],
			policyIdentifier: "Test Policy",
		},
	},
};

describe("POST /_stub/incoming-calls with the incoming call's whole context", () => {
	it("the created notification carries it as Graph's policy-based recording invite does; GET too", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await startIncoming(tester, POLICY_RECORDING_INVITE);
		const [created] = await received(tester, 1);
		const expected = {
			"@odata.type": "#microsoft.graph.call",
			state: "incoming",
			direction: "incoming",
			source: POLICY_RECORDING_INVITE.source,
			// v1.0's invitationParticipantInfo declares no endpointType: the version's view leaves it out.
			targets: POLICY_RECORDING_INVITE.targets.map(({ endpointType: _, ...declared }) => declared),
			meetingInfo: POLICY_RECORDING_INVITE.meetingInfo,
			tenantId: POLICY_RECORDING_INVITE.tenantId,
			myParticipantId: call.myParticipantId,
			callChainId: CHAIN,
			incomingContext: { ...POLICY_RECORDING_INVITE.incomingContext, onBehalfOf: null, transferor: null },
			id: call.id,
			applicationMetadata: POLICY_RECORDING_INVITE.applicationMetadata,
		};
		expect(created).toMatchObject({
			"@odata.type": "#microsoft.graph.commsNotification",
			changeType: "created",
			resource: `/app/calls/${call.id}`,
			resourceUrl: `/communications/calls/${call.id}`,
			resourceData: expected,
		});
		expect(created?.resourceData.chatInfo).toBeNull(); // none in Graph's example either
		expect(call).toMatchObject(expected);
		const got = await json(await send("GET", callUrl(call.id), undefined, { token: tester.token }));
		expect(got).toMatchObject(expected);
		// The caller is a participant of the call under the id the incoming context names.
		const roster = await json(
			await send("GET", `${callUrl(call.id)}/participants`, undefined, { token: tester.token }),
		);
		expect((roster.value as { id: string }[]).map((p) => p.id)).toContain(OBSERVED);
	});

	it("carries a group call's chatInfo, onBehalfOf, transferor and callRoutes as given", async () => {
		const tester = newTester();
		const identity = (id: string) => ({ user: { id, displayName: id } });
		const context = {
			chatInfo: { "@odata.type": "#microsoft.graph.chatInfo", threadId: "19:meeting_x@thread.v2", messageId: "0" },
			meetingInfo: {
				"@odata.type": "#microsoft.graph.organizerMeetingInfo",
				organizer: identity("organizer"),
				allowConversationWithoutHost: true,
			},
			incomingContext: { onBehalfOf: identity("boss"), transferor: identity("assistant") },
			callRoutes: [{ routingType: "forwarded", original: identity("reception"), final: identity("bot") }],
		};
		const call = await startIncoming(tester, context);
		expect(call).toMatchObject(context);
		expect(call.incomingContext).toMatchObject({
			sourceParticipantId: expect.any(String),
			observedParticipantId: null,
		});
		expect(call.callChainId).toMatch(/^[0-9a-f-]{36}$/);
		const [created] = await received(tester, 1);
		expect(created?.resourceData).toMatchObject(context);
	});

	it("without them: incomingContext names only the caller, callRoutes is empty, chatInfo and meetingInfo null", async () => {
		const tester = newTester();
		const call = await startIncoming(tester);
		expect(call).toMatchObject({
			incomingContext: { observedParticipantId: null, onBehalfOf: null, transferor: null },
			callRoutes: [],
			chatInfo: null,
			meetingInfo: null,
		});
		expect(call).not.toHaveProperty("applicationMetadata");
	});

	it("refuses bad context in one Graph-shaped 400 naming every failing field, and starts no call", async () => {
		const tester = newTester();
		const response = await send(
			"POST",
			`${ORIGIN}/_stub/incoming-calls`,
			{
				callbackUri: tester.callbackUri,
				incomingContext: { observedParticipantId: 7, onBehalfOf: {}, surprise: true },
				meetingInfo: { "@odata.type": "#microsoft.graph.tokenMeetingInfo" },
				chatInfo: "19:thread",
				callChainId: "not-a-guid",
				callRoutes: [{ routingType: "teleported", original: { user: { id: "a" } } }],
				applicationMetadata: [],
			},
			{ token: tester.token },
		);
		expect(response.status).toBe(400);
		const { error } = await errorOf(response);
		expect(error.code).toBe("BadRequest");
		expect(error.details?.map((d) => d.target).sort()).toEqual(
			[
				"applicationMetadata",
				"callChainId",
				"callRoutes[0].final",
				"callRoutes[0].routingType",
				"chatInfo",
				"incomingContext.observedParticipantId",
				"incomingContext.onBehalfOf",
				"incomingContext.surprise",
				"meetingInfo.token",
			].sort(),
		);
		const calls = await json(await send("GET", `${ORIGIN}/_stub/calls`, undefined, { token: tester.token }));
		expect(calls.value).toEqual([]);
	});

	it("meetingInfo must name its kind", async () => {
		const tester = newTester();
		const response = await send(
			"POST",
			`${ORIGIN}/_stub/incoming-calls`,
			{ callbackUri: tester.callbackUri, meetingInfo: { token: "t" } },
			{ token: tester.token },
		);
		expect((await errorOf(response)).error.details?.map((d) => d.target)).toEqual(["meetingInfo.@odata.type"]);
	});
});
