import { describe, expect, it } from "vitest";
import { readPage } from "../../scripts/conformance/markdown";
import { shapeDifferences } from "./compare";
import { reasonFor } from "./reasons";

describe("shapeDifferences", () => {
	it("compares shapes, not values", () => {
		const doc = { "@odata.type": "#microsoft.graph.playPromptOperation", id: "a", status: "running", code: 200 };
		const actual = { "@odata.type": "#microsoft.graph.playPromptOperation", id: "b", status: "running", code: 400 };
		expect(shapeDifferences(doc, { ...actual, extra: true })).toEqual([]);
	});

	it("names a missing property, another JSON type, another @odata.type and another enum spelling", () => {
		const doc = {
			"@odata.type": "#microsoft.graph.call",
			state: "established",
			resultInfo: { code: 200 },
			targets: [{ identity: { user: null } }],
			status: "running",
		};
		const actual = {
			"@odata.type": "#microsoft.graph.participant",
			state: "Established",
			resultInfo: { code: "200" },
			targets: [{ identity: {} }],
			status: "Running",
		};
		expect(shapeDifferences(doc, actual)).toEqual([
			"@odata.type: #microsoft.graph.participant where the docs show #microsoft.graph.call",
			'state: "Established" where the docs show "established"',
			"resultInfo.code: string where the docs show number",
			"targets[0].identity.user: missing (the docs show null)",
			'status: "Running" where the docs show "running"',
		]);
	});

	it("compares arrays item by item and says when the answer has none", () => {
		expect(shapeDifferences({ tones: ["tone1"], value: [{ id: "x" }] }, { tones: ["Tone1"], value: [] })).toEqual([
			'tones[0]: "Tone1" where the docs show "tone1"',
			"value: empty where the docs show 1 item(s)",
		]);
	});
});

describe("readPage", () => {
	const page = [
		"### Request",
		'<!-- { "blockType": "request", "name": "call-x" } -->',
		"```http",
		"POST https://graph.microsoft.com/v1.0/communications/calls/57dab8b1/playPrompt",
		"Content-Type: application/json",
		"",
		'{ "clientContext": "c", }',
		"```",
		'<!-- { "blockType": "response", "truncated": true, "@odata.type": "microsoft.graph.playPromptOperation" } -->',
		"```http",
		"HTTP/1.1 200 OK",
		"",
		'{ "status": "running" }',
		"```",
		"##### Notification - operation completed",
		"```http",
		"POST https://bot.contoso.com/api/calls",
		"```",
		'<!-- { "blockType": "example", "@odata.type": "microsoft.graph.commsNotifications" } -->',
		"```json",
		'{ "@odata.type": "#microsoft.graph.commsNotifications", "value": [ { "changeType": "deleted" } ] }',
		"```",
	].join("\n");

	it("reads the request, its response and the notification, forgiving the docs' trailing commas", () => {
		const blocks = readPage(page);
		expect(blocks.map((b) => b.kind)).toEqual(["request", "response", "notification"]);
		const [request, response, notification] = blocks;
		expect(request).toMatchObject({
			name: "call-x",
			request: { method: "POST", body: { clientContext: "c" } },
			notes: [expect.stringContaining("not valid JSON")],
		});
		expect(response).toMatchObject({ response: { status: 200, truncated: true, body: { status: "running" } } });
		expect(notification).toMatchObject({ heading: "Notification - operation completed" });
	});
});

describe("reasons", () => {
	it("explains a known difference and leaves a new one unexplained", () => {
		expect(reasonFor("v1.0/call-playprompt/x", "value[0].resourceData.@odata.id: missing")).toBe("idEtag");
		expect(reasonFor("v1.0/call-playprompt/call-playprompt", 'status: "Running" where the docs show "running"')).toBe(
			undefined,
		);
	});
});
