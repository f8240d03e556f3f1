import { describe, expect, it } from "vitest";
import { acted, after3, establishedCall, PROMPT } from "../actions/helpers";
import { advance, type CallNotification, callUrl, configure, newTester, received } from "../calls/helpers";
import { send } from "../helpers/graph";

// The notification items as Microsoft's documentation shows them. Examples copied from
// microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/call-playprompt.md and
// call-record.md ("Notification - operation completed"). The docs write ids upper-cased without dashes;
// the stub sends the dashed lower-case ids real traffic has, so ids are compared by shape, not spelling.

const DOCUMENTED_PLAY_PROMPT = {
	"@odata.type": "#microsoft.graph.commsNotification",
	changeType: "deleted",
	resourceUrl: "/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5",
	resourceData: {
		"@odata.type": "#microsoft.graph.playPromptOperation",
		"@odata.id": "/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5",
		"@odata.etag": 'W/"54451"',
		resultInfo: {
			"@odata.type": "#microsoft.graph.resultInfo",
			code: 200,
			subcode: 0,
			message: "Action completed successfully.",
		},
		clientContext: "d45324c1-fcb5-430a-902c-f20af696537c",
		status: "completed",
	},
};

const DOCUMENTED_RECORD = {
	"@odata.type": "#microsoft.graph.commsNotification",
	changeType: "deleted",
	resourceUrl: "/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5",
	resourceData: {
		"@odata.type": "#microsoft.graph.recordOperation",
		"@odata.id": "/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5",
		"@odata.etag": 'W/"54451"',
		id: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
		clientContext: "d45324c1-fcb5-430a-902c-f20af696537c",
		status: "completed",
		resultInfo: {
			"@odata.type": "#microsoft.graph.resultInfo",
			code: 200,
			subcode: 8515,
			message: "Action completed, max record duration reached.",
		},
		recordingLocation: "https://file.location/17e3b46c-f61d-4f4d-9635-c626ef18e6ad",
		recordingAccessToken: "<access-token>",
	},
};

/** Every key of `documented`, recursively, is in `actual` with a value of the same JSON type. */
function expectShapeOf(documented: unknown, actual: unknown, path = "item") {
	if (documented === null || typeof documented !== "object") {
		expect(typeof actual, path).toBe(typeof documented);
		return;
	}
	expect(actual, path).toBeTypeOf("object");
	for (const [key, value] of Object.entries(documented))
		expectShapeOf(value, (actual as Record<string, unknown>)[key], `${path}.${key}`);
}

const OPERATION_URL = /^\/communications\/calls\/[^/]+\/operations\/[0-9a-f-]{36}$/;

function expectDocumentedItem(documented: typeof DOCUMENTED_PLAY_PROMPT, item: CallNotification | undefined) {
	expectShapeOf(documented, item);
	expect(item?.resourceUrl).toMatch(OPERATION_URL);
	expect(item?.resourceData["@odata.id"]).toBe(item?.resourceUrl);
	expect(item?.resourceData["@odata.etag"]).toMatch(/^W\/"\d+"$/);
	// The annotations come right after the type, as in the documented examples.
	expect(Object.keys(item?.resourceData ?? {}).slice(0, 3)).toEqual(["@odata.type", "@odata.id", "@odata.etag"]);
	expect(item?.resource).toBe(item?.resourceUrl.replace("/communications/", "/app/"));
}

describe("action operations' notifications as the documentation shows them", () => {
	it("playPrompt completed: @odata.id and @odata.etag, resultInfo, clientContext, status", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		await acted(tester, call.id, "playPrompt", { prompts: [PROMPT], clientContext: "c-1" });
		await advance(tester, call.id, "operationFinished");
		const [done] = await after3(tester, 1);
		expectDocumentedItem(DOCUMENTED_PLAY_PROMPT, done);
		expect(done?.resourceData).toMatchObject({ clientContext: "c-1", status: "completed" });
	});

	it("recordResponse completed: the same, with recordingLocation and recordingAccessToken; the etag follows the change", async () => {
		const tester = newTester();
		const call = await establishedCall(tester, { recordMs: 1000 });
		await acted(tester, call.id, "recordResponse", { clientContext: "c-2", maxRecordDurationInSeconds: 1 });
		await acted(tester, call.id, "recordResponse", { clientContext: "c-3", maxRecordDurationInSeconds: 1 });
		await advance(tester, call.id, "operationFinished");
		const [first] = await after3(tester, 1);
		expectDocumentedItem(DOCUMENTED_RECORD, first);
		await new Promise((resolve) => setTimeout(resolve, 5));
		await advance(tester, call.id, "operationFinished");
		const [, second] = await after3(tester, 2);
		expectDocumentedItem(DOCUMENTED_RECORD, second);
		expect(second?.resourceData["@odata.etag"]).not.toBe(first?.resourceData["@odata.etag"]);
	});
});

describe("every notification", () => {
	it("carries resourceUrl and the legacy resource: the call's, the roster's, an action's and a scripted operation's", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		await acted(tester, call.id, "mute", {}); // a roster notification
		await acted(tester, call.id, "sendDtmfTones", { tones: ["tone1"] });
		await advance(tester, call.id, "operationFinished"); // the action operation's `deleted`
		await received(tester, 5);
		// The operations collection's notifications go to the configured callbackUri: the same webhook here.
		await configure(tester, {
			callbackUri: tester.callbackUri,
			progression: { default: [{ status: "Completed", afterMs: 0 }] },
		});
		const scripted = await send("POST", `${callUrl(call.id)}/operations`, { id: "scripted" }, { token: tester.token });
		expect(scripted.status).toBe(201);
		const all = await received(tester, 6);
		const kinds = all.map((item) =>
			item.resourceUrl
				.split("/")
				.slice(4)
				.join("/")
				.replace(/[0-9a-f-]{36}$/, "{id}"),
		);
		expect(kinds).toEqual(expect.arrayContaining(["", "participants", "operations/{id}", "operations/scripted"]));
		for (const item of all) {
			expect(Object.keys(item)).toEqual(["@odata.type", "changeType", "resource", "resourceUrl", "resourceData"]);
			expect(item.resource).toBe(item.resourceUrl.replace(/^\/communications\//, "/app/"));
		}
	});
});
