import { describe, expect, it } from "vitest";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import {
	advance,
	callsUrl,
	callUrl,
	configure,
	createCall,
	newCallBody,
	newTester,
	received,
	statesOf,
	TARGET,
	timersOf,
} from "./helpers";

const DASHED_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("POST /communications/calls", () => {
	it("answers 201 with the new call, Location and the legacy #app/calls context", async () => {
		const tester = newTester();
		await configure(tester);
		const response = await send("POST", callsUrl(), newCallBody(tester), { token: tester.token });
		expect(response.status).toBe(201);
		const call = await json(response);
		expect(call.id).toMatch(DASHED_GUID);
		expect(response.headers.get("Location")).toBe(`${ORIGIN}/v1.0/communications/calls/${call.id}`);
		expect(call["@odata.context"]).toBe(`${ORIGIN}/v1.0/$metadata#app/calls/$entity`);
		expect(call).toMatchObject({
			"@odata.type": "#microsoft.graph.call",
			state: "establishing",
			direction: "outgoing",
			callbackUri: tester.callbackUri,
			requestedModalities: ["audio"],
			mediaConfig: { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
			targets: [{ ...TARGET, replacesCallId: null }], // endpointType is beta's (test/versions/)
			resultInfo: null,
			mediaState: null,
		});
		expect(call.myParticipantId).toMatch(DASHED_GUID);
		expect(call.callChainId).toMatch(DASHED_GUID);
		// Graph fills source with the bot's application when the create omits it.
		expect(call.source).toMatchObject({
			"@odata.type": "#microsoft.graph.participantInfo",
			identity: { application: { "@odata.type": "#microsoft.graph.identity", id: expect.stringMatching(DASHED_GUID) } },
		});
	});

	it("takes the bot's app id from a JWT's appid", async () => {
		const tester = newTester();
		const claims = btoa(JSON.stringify({ tid: "tenant-1", appid: "2891555a-92ff-42e6-80fa-6e1300c6b5c6" }));
		const token = `e30.${claims.replaceAll("=", "")}.sig`;
		const response = await send("POST", callsUrl(), newCallBody(tester), { token });
		const call = await json(response);
		expect(call.source).toMatchObject({ identity: { application: { id: "2891555a-92ff-42e6-80fa-6e1300c6b5c6" } } });
	});

	it("keeps a source the bot sent", async () => {
		const tester = newTester();
		const source = { identity: { applicationInstance: { id: "a1", displayName: "IVR" } } };
		const call = await createCall(tester, { source });
		expect(call.source).toEqual(source);
	});

	it("notifies establishing, established, then established with audio active, as setupMs says", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await createCall(tester);
		const [establishing] = await received(tester, 1);
		expect(establishing).toEqual({
			"@odata.type": "#microsoft.graph.commsNotification",
			changeType: "updated",
			resource: `/app/calls/${call.id}`,
			resourceUrl: `/communications/calls/${call.id}`,
			resourceData: expect.objectContaining({
				"@odata.type": "#microsoft.graph.call",
				state: "establishing",
				id: call.id,
			}),
		});
		expect((await timersOf(tester, call.id)).map((t) => t.kind).sort()).toEqual([
			"audioActive",
			"established",
			"keepAliveExpired",
		]);
		await advance(tester, call.id, "established", "audioActive");
		const all = await received(tester, 3);
		expect(statesOf(all)).toEqual(["updated:establishing", "updated:established", "updated:established"]);
		expect(all[1]?.resourceData.mediaState).toBeNull();
		expect(all[2]?.resourceData.mediaState).toEqual({
			"@odata.type": "#microsoft.graph.callMediaState",
			audio: "active",
		});
		const got = await json(await send("GET", callUrl(call.id), undefined, { token: tester.token }));
		expect(got).toMatchObject({ state: "established", mediaState: { audio: "active" } });
		expect(got["@odata.context"]).toBe(`${ORIGIN}/v1.0/$metadata#communications/calls/$entity`);
	});

	it("plays the configured outcome: an unreachable callee ends the call 480/10076", async () => {
		const tester = newTester();
		const resultInfo = { code: 480, subcode: 10076, message: "Callee could not be reached." };
		await configure(tester, { calling: { setupMs: 3_600_000, outcome: { state: "terminated", resultInfo } } });
		const call = await createCall(tester);
		await advance(tester, call.id);
		const all = await received(tester, 2);
		expect(statesOf(all)).toEqual(["updated:establishing", "deleted:terminated"]);
		expect(all[1]?.resourceData.resultInfo).toEqual({ "@odata.type": "#microsoft.graph.resultInfo", ...resultInfo });
		const gone = await send("GET", callUrl(call.id), undefined, { token: tester.token });
		expect(gone.status).toBe(404);
		expect((await errorOf(gone)).error.code).toBe("8522");
	});
});

describe("GET and DELETE /communications/calls/{id}", () => {
	it("hangs up: 204, then terminating and terminated 200/5001; then 404 8522 for GET, DELETE and actions", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await createCall(tester);
		await advance(tester, call.id, "established", "audioActive");
		await received(tester, 3);
		const deleted = await send("DELETE", callUrl(call.id), undefined, { token: tester.token });
		expect(deleted.status).toBe(204);
		const all = await received(tester, 5);
		expect(statesOf(all).slice(3)).toEqual(["updated:terminating", "deleted:terminated"]);
		expect(all[4]?.resourceData.resultInfo).toEqual({
			"@odata.type": "#microsoft.graph.resultInfo",
			code: 200,
			subcode: 5001,
			message: "The conversation has ended.",
		});
		// Audio was active; the ending call's is not (inferred).
		expect(all[3]?.resourceData.mediaState).toMatchObject({ audio: "inactive" });
		expect(all[4]?.resourceData.mediaState).toMatchObject({ audio: "inactive" });
		expect(await timersOf(tester, call.id)).toEqual([]);
		for (const [method, url] of [
			["GET", callUrl(call.id)],
			["DELETE", callUrl(call.id)],
			["POST", `${callUrl(call.id)}/keepAlive`],
		] as const) {
			const response = await send(method, url, undefined, { token: tester.token });
			expect(response.status).toBe(404);
			expect((await errorOf(response)).error).toMatchObject({ code: "8522", message: "Call not found." });
		}
	});

	it("answers 404 8522 for an unknown call, and for a callId used only through its operations (as before)", async () => {
		const tester = newTester();
		await send("POST", `${callUrl("ops-only")}/operations`, {}, { token: tester.token });
		for (const id of ["no-such-call", "ops-only"]) {
			const response = await send("GET", callUrl(id), undefined, { token: tester.token });
			expect(response.status).toBe(404);
			expect((await errorOf(response)).error.code).toBe("8522");
		}
		const ops = await send("GET", `${callUrl("ops-only")}/operations`, undefined, { token: tester.token });
		expect(ops.status).toBe(200);
	});

	it("keeps each tester's calls apart", async () => {
		const tester = newTester();
		const call = await createCall(tester);
		const other = await send("GET", callUrl(call.id), undefined, { token: "somebody-else" });
		expect(other.status).toBe(404);
	});
});

describe("what a create may not set", () => {
	it("keeps the call's own id, state and ids, and ignores annotations the bot sends", async () => {
		const tester = newTester();
		const response = await send(
			"POST",
			callsUrl(),
			{
				...newCallBody(tester),
				id: "mine",
				state: "established",
				myParticipantId: "p",
				callChainId: "c",
				"@odata.context": "https://elsewhere.example/$metadata#x",
				"@odata.type": "microsoft.graph.call",
				customProperty: "kept",
			},
			{ token: tester.token },
		);
		expect(response.status).toBe(201);
		const text = await response.text();
		expect(text.match(/"@odata\.context"/g)).toHaveLength(1);
		const call = JSON.parse(text) as Record<string, unknown>;
		expect(response.headers.get("Location")).toContain(`/calls/${call.id}`);
		expect(call.id).not.toBe("mine");
		expect(call).toMatchObject({
			state: "establishing",
			"@odata.type": "#microsoft.graph.call",
			customProperty: "kept",
		});
		expect(call.myParticipantId).not.toBe("p");
		expect(call.callChainId).not.toBe("c");
	});
});
