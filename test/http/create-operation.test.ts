import { describe, expect, it } from "vitest";
import { create, json, ORIGIN, operationsUrl, uniqueCallId } from "../helpers/graph";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

// The seed page's example request, with its two known bugs fixed (a real status, `#` on the nested type)
// and resultInfo's required code/subcode supplied.
const SEED_REQUEST = {
	"@odata.type": "#microsoft.graph.commsOperation",
	status: "Running",
	clientContext: "String",
	resultInfo: { "@odata.type": "#microsoft.graph.resultInfo", code: 200, subcode: 0, message: "ok" },
};

describe("POST …/operations (the seed's example)", () => {
	it("answers 201 with the seed's response shape, Location and the Graph headers", async () => {
		const callId = uniqueCallId();
		const response = await create(callId, SEED_REQUEST, { headers: { "client-request-id": "my-client-id" } });
		expect(response.status).toBe(201);
		const body = await json(response);
		expect(Object.keys(body)).toEqual([
			"@odata.context",
			"@odata.type",
			"id",
			"status",
			"clientContext",
			"resultInfo",
			"createdDateTime",
			"lastActionDateTime",
		]);
		expect(body).toMatchObject({
			"@odata.context": `${ORIGIN}/beta/$metadata#communications/calls('${callId}')/operations/$entity`,
			"@odata.type": "#microsoft.graph.commsOperation",
			status: "Running",
			clientContext: "String",
			resultInfo: { "@odata.type": "#microsoft.graph.resultInfo", code: 200, subcode: 0, message: "ok" },
		});
		expect(body.id).toMatch(GUID);
		expect(body.createdDateTime).toMatch(ISO_UTC);
		expect(body.lastActionDateTime).toBe(body.createdDateTime);

		const headers = response.headers;
		expect(headers.get("Location")).toBe(`${operationsUrl(callId)}/${body.id}`);
		expect(headers.get("Content-Type")).toBe(
			"application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
		);
		expect(headers.get("OData-Version")).toBe("4.0");
		expect(headers.get("request-id")).toMatch(GUID);
		expect(headers.get("client-request-id")).toBe("my-client-id");
		expect(new Date(headers.get("Date") ?? "").getTime()).not.toBeNaN();
		expect(JSON.parse(headers.get("x-ms-ags-diagnostic") ?? "{}")).toMatchObject({
			ServerInfo: { DataCenter: "local" },
		});
		expect(headers.get("x-stub-sequence")).toBe("1");
	});

	it("accepts the seed's nested @odata.type without '#' and emits it with one", async () => {
		const response = await create(uniqueCallId(), {
			"@odata.type": "microsoft.graph.commsOperation",
			resultInfo: { "@odata.type": "microsoft.graph.resultInfo", code: 1, subcode: 2 },
		});
		expect(response.status).toBe(201);
		const body = await json(response);
		expect(body["@odata.type"]).toBe("#microsoft.graph.commsOperation");
		expect(body.resultInfo).toEqual({
			"@odata.type": "#microsoft.graph.resultInfo",
			code: 1,
			subcode: 2,
			message: null,
		});
	});

	it("fills the defaults of an empty body: NotStarted, null clientContext and resultInfo, a new GUID", async () => {
		const response = await create(uniqueCallId(), {});
		const body = await json(response);
		expect(response.headers.get("client-request-id")).toBe(response.headers.get("request-id"));
		expect(body).toMatchObject({ status: "NotStarted", clientContext: null, resultInfo: null });
		expect(body.id).toMatch(GUID);
	});

	it("serves v1.0 as well as beta", async () => {
		const callId = uniqueCallId();
		const response = await create(callId, { status: "Completed" }, {}, "v1.0");
		expect(response.status).toBe(201);
		const body = await json(response);
		expect(body["@odata.context"]).toBe(
			`${ORIGIN}/v1.0/$metadata#communications/calls('${callId}')/operations/$entity`,
		);
		expect(response.headers.get("Location")).toBe(`${operationsUrl(callId, "v1.0")}/${body.id}`);
	});

	it("matches status case-insensitively and stores the schema spelling", async () => {
		for (const [sent, stored] of [
			["running", "Running"],
			["COMPLETED", "Completed"],
			["notstarted", "NotStarted"],
			["fAILED", "Failed"],
		]) {
			const body = await json(await create(uniqueCallId(), { status: sent }));
			expect(body.status).toBe(stored);
		}
	});

	it("honours a client id, unicode and reserved URL characters included, and escapes it in Location", async () => {
		const callId = uniqueCallId("o'brien");
		const id = "op/ünï 😀?#";
		const response = await create(callId, { id });
		expect(response.status).toBe(201);
		const body = await json(response);
		expect(body.id).toBe(id);
		expect(body["@odata.context"]).toContain(`calls('${callId.replace("'", "''")}')`);
		expect(response.headers.get("Location")).toBe(`${operationsUrl(callId)}/${encodeURIComponent(id)}`);
	});

	it("keeps dynamic properties (open type) in order, ignores instance annotations and server-owned fields", async () => {
		const response = await create(uniqueCallId(), {
			"@odata.context": "https://evil.example/$metadata",
			"@odata.id": "x",
			"@microsoft.graph.conflictBehavior": "replace",
			createdDateTime: "1999-01-01T00:00:00Z",
			custom: { nested: [1, "two", { three: null }] },
			"emoji🙂": "ünïcödé",
			status: "Running",
		});
		const body = await json(response);
		expect(body["@odata.context"]).toContain(ORIGIN);
		expect(body).not.toHaveProperty("@odata.id");
		expect(body).not.toHaveProperty("@microsoft.graph.conflictBehavior");
		expect(body.createdDateTime).not.toBe("1999-01-01T00:00:00Z");
		expect(body.custom).toEqual({ nested: [1, "two", { three: null }] });
		expect(body["emoji🙂"]).toBe("ünïcödé");
		expect(Object.keys(body).slice(-4)).toEqual(["custom", "emoji🙂", "createdDateTime", "lastActionDateTime"]);
	});

	it("keeps __proto__ and constructor as plain properties that never reach a prototype", async () => {
		const raw = '{"__proto__":{"status":"Completed","polluted":true},"constructor":{"prototype":{"polluted":true}}}';
		const response = await create(uniqueCallId(), raw);
		expect(response.status).toBe(201);
		const text = await response.text();
		expect(text).toContain('"__proto__":{"status":"Completed","polluted":true}');
		expect(text).toContain('"constructor":{"prototype":{"polluted":true}}');
		const body = JSON.parse(text) as Record<string, unknown>;
		expect(body.status).toBe("NotStarted");
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe("derived operation types", () => {
	it("accepts every derived type on beta, with its declared properties normalised", async () => {
		const response = await create(uniqueCallId(), {
			"@odata.type": "#microsoft.graph.recordOperation",
			recordingLocation: "https://media.example/rec.wav",
			recordingAccessToken: null,
			completionReason: "MAXRECORDDURATIONREACHED",
			extra: 1,
		});
		expect(response.status).toBe(201);
		const body = await json(response);
		expect(body).toMatchObject({
			"@odata.type": "#microsoft.graph.recordOperation",
			recordingLocation: "https://media.example/rec.wav",
			recordingAccessToken: null,
			completionReason: "maxRecordDurationReached",
			extra: 1,
		});
	});

	it.each([
		["v1.0", "addLargeGalleryViewOperation"],
		["v1.0", "cancelMediaProcessingOperation"],
		["v1.0", "inviteParticipantsOperation"],
		["v1.0", "muteParticipantOperation"],
		["v1.0", "playPromptOperation"],
		["v1.0", "recordOperation"],
		["v1.0", "sendDtmfTonesOperation"],
		["v1.0", "startHoldMusicOperation"],
		["v1.0", "stopHoldMusicOperation"],
		["v1.0", "subscribeToToneOperation"],
		["v1.0", "unmuteParticipantOperation"],
		["v1.0", "updateRecordingStatusOperation"],
		["beta", "admitAllFromLobbyOperation"],
		["beta", "admitFromLobbyOperation"],
		["beta", "removeFromLobbyOperation"],
		["beta", "muteParticipantsOperation"],
		["beta", "startRecordingOperation"],
		["beta", "stopRecordingOperation"],
		["beta", "startTranscriptionOperation"],
		["beta", "stopTranscriptionOperation"],
	])("%s accepts %s", async (version, type) => {
		const response = await create(uniqueCallId(), { "@odata.type": `#microsoft.graph.${type}` }, {}, version);
		expect(response.status).toBe(201);
		expect((await json(response))["@odata.type"]).toBe(`#microsoft.graph.${type}`);
	});

	it.each([
		"admitAllFromLobbyOperation",
		"admitFromLobbyOperation",
		"removeFromLobbyOperation",
		"muteParticipantsOperation",
		"startRecordingOperation",
		"stopRecordingOperation",
		"startTranscriptionOperation",
		"stopTranscriptionOperation",
	])("v1.0 refuses the beta-only %s as unresolvable", async (type) => {
		const response = await create(uniqueCallId(), { "@odata.type": `#microsoft.graph.${type}` }, {}, "v1.0");
		expect(response.status).toBe(400);
		const { error } = (await response.json()) as { error: { message: string } };
		expect(error.message).toContain(`A type named '#microsoft.graph.${type}' could not be resolved by the model.`);
	});

	it("validates beta's completionReason on both versions (one stored document, read through both)", async () => {
		for (const version of ["beta", "v1.0"]) {
			const response = await create(
				uniqueCallId(),
				{ "@odata.type": "#microsoft.graph.playPromptOperation", completionReason: "bogus" },
				{},
				version,
			);
			expect(response.status).toBe(400);
		}
	});

	it("accepts sendDtmfTones completion reasons but refuses unknownFutureValue", async () => {
		const type = "#microsoft.graph.sendDtmfTonesOperation";
		expect(
			(await create(uniqueCallId(), { "@odata.type": type, completionReason: "completedSuccessfully" })).status,
		).toBe(201);
		const refused = await create(
			uniqueCallId(),
			{ "@odata.type": type, completionReason: "unknownFutureValue" },
			{},
			"v1.0",
		);
		expect(refused.status).toBe(400);
	});

	it("checks the participants of invite (objects) and beta muteParticipants (strings)", async () => {
		const invite = "#microsoft.graph.inviteParticipantsOperation";
		const mute = "#microsoft.graph.muteParticipantsOperation";
		expect(
			(await create(uniqueCallId(), { "@odata.type": invite, participants: [{ endpointType: "x" }] })).status,
		).toBe(201);
		expect((await create(uniqueCallId(), { "@odata.type": invite, participants: ["a"] })).status).toBe(400);
		expect((await create(uniqueCallId(), { "@odata.type": invite, participants: null })).status).toBe(400);
		expect((await create(uniqueCallId(), { "@odata.type": mute, participants: ["a", "b"] })).status).toBe(201);
		expect((await create(uniqueCallId(), { "@odata.type": mute, participants: [{}] })).status).toBe(400);
	});
});
