import { describe, expect, it } from "vitest";
import { DECLARED, undeclaredOn } from "../../src/schema/declared-properties";
import { versionView, versionViewJson } from "../../src/schema/version-view";

// The per-version view on its own: what each version of Graph's schema declares (v1.0 CSDL, beta type
// maps), applied to the stub's stored documents.

const call = {
	"@odata.type": "#microsoft.graph.call",
	state: "establishing",
	source: { "@odata.type": "#microsoft.graph.participantInfo", endpointType: null, platformId: "p-1" },
	targets: [{ "@odata.type": "#microsoft.graph.invitationParticipantInfo", endpointType: null, replacesCallId: null }],
	ringingTimeoutInSeconds: null,
	answeredBy: null,
	terminationReason: null,
	meetingCapability: null,
	botOwnExtra: { endpointType: "kept: an untyped value of a dynamic property" },
	id: "c-1",
};

describe("the table", () => {
	it("names the beta-only properties the issue lists, and nothing v1.0 declares", () => {
		expect([...undeclaredOn("v1.0", "call")].sort()).toEqual([
			"activeModalities",
			"answeredBy",
			"meetingCapability",
			"ringingTimeoutInSeconds",
			"routingPolicies",
			"terminationReason",
		]);
		expect([...undeclaredOn("v1.0", "invitationParticipantInfo")]).toEqual(["endpointType"]);
		expect([...undeclaredOn("v1.0", "playPromptOperation")]).toEqual(["completionReason"]);
		expect([...undeclaredOn("v1.0", "recordOperation")]).toEqual(["completionReason"]);
		expect([...undeclaredOn("v1.0", "sendDtmfTonesOperation")]).toEqual([]);
		expect([...undeclaredOn("v1.0", "participantInfo")].sort()).toEqual(["nonAnonymizedIdentity", "platformId"]);
		// beta declares everything v1.0 does, for every type here.
		for (const type of Object.keys(DECLARED) as (keyof typeof DECLARED)[])
			expect([...undeclaredOn("beta", type)], type).toEqual([]);
	});
});

describe("versionView", () => {
	it("drops from a v1.0 call what only beta declares, nested types included, and keeps the rest in order", () => {
		const view = versionView(call, "v1.0");
		expect(Object.keys(view)).toEqual(["@odata.type", "state", "source", "targets", "botOwnExtra", "id"]);
		expect(view.source).toEqual({ "@odata.type": "#microsoft.graph.participantInfo", endpointType: null });
		expect(view.targets).toEqual([
			{ "@odata.type": "#microsoft.graph.invitationParticipantInfo", replacesCallId: null },
		]);
		expect(view.botOwnExtra).toEqual(call.botOwnExtra);
	});

	it("leaves a beta call as it is, and never changes what it was given", () => {
		const before = structuredClone(call);
		expect(versionView(call, "beta")).toEqual(call);
		versionView(call, "v1.0");
		expect(call).toEqual(before);
	});

	it("finds a nested type by its parent's declaration when the value names none", () => {
		const invite = {
			"@odata.type": "#microsoft.graph.inviteParticipantsOperation",
			participants: [{ endpointType: null, identity: { user: { id: "u" } } }],
		};
		expect(versionView(invite, "v1.0").participants).toEqual([{ identity: { user: { id: "u" } } }]);
		expect(versionView(invite, "beta")).toEqual(invite);
	});

	it("treats operations by their type: playPrompt's and record's completionReason are beta's, sendDtmfTones' both", () => {
		const of = (type: string) => ({
			"@odata.type": `#microsoft.graph.${type}`,
			completionReason: "x",
			status: "completed",
		});
		expect(versionView(of("playPromptOperation"), "v1.0")).not.toHaveProperty("completionReason");
		expect(versionView(of("recordOperation"), "v1.0")).not.toHaveProperty("completionReason");
		expect(versionView(of("sendDtmfTonesOperation"), "v1.0")).toHaveProperty("completionReason", "x");
		expect(versionView(of("commsOperation"), "v1.0")).toHaveProperty("completionReason", "x"); // dynamic there
		expect(versionView(of("playPromptOperation"), "beta")).toHaveProperty("completionReason", "x");
	});

	it("keeps a `__proto__` key as data", () => {
		const hostile = JSON.parse('{"@odata.type":"#microsoft.graph.call","__proto__":{"polluted":1},"answeredBy":null}');
		const view = versionView(hostile as Record<string, unknown>, "v1.0");
		expect(Object.getPrototypeOf(view)).toBe(Object.prototype);
		expect(Object.hasOwn(view, "__proto__")).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe("versionViewJson", () => {
	it("returns a stored document untouched when it names nothing the version drops", () => {
		const json = '{"@odata.type":"#microsoft.graph.playPromptOperation","id":"o","status":"Running"}';
		expect(versionViewJson(json, "v1.0")).toBe(json);
		const beta = JSON.stringify(call);
		expect(versionViewJson(beta, "beta")).toBe(beta);
	});

	it("serialises the view of one that does", () => {
		expect(JSON.parse(versionViewJson(JSON.stringify(call), "v1.0"))).toEqual(versionView(call, "v1.0"));
	});
});
