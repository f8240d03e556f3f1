import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pcmBytesFor, wavFile } from "../../src/objects/media/wav";
import { advance, callUrl, configure, createCall, newTester, received } from "../calls/helpers";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { act, acted, after3, establishedCall, PROMPT } from "./helpers";

describe("when an action may run", () => {
	it("a call that is not established yet: 400, nothing stored", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await createCall(tester);
		const response = await act(tester, call.id, "playPrompt", { prompts: [PROMPT] });
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error.message).toContain("establishing");
		const list = await json(await send("GET", `${callUrl(call.id)}/operations`, undefined, { token: tester.token }));
		expect(list.value).toEqual([]);
	});

	it("service-hosted media actions on an app-hosted call: 400; others go", async () => {
		const tester = newTester();
		await configure(tester);
		const appHosted = { "@odata.type": "#microsoft.graph.appHostedMediaConfig", blob: "<blob>" };
		const call = await createCall(tester, { mediaConfig: appHosted });
		await advance(tester, call.id, "established", "audioActive");
		expect((await act(tester, call.id, "playPrompt", { prompts: [PROMPT] })).status).toBe(400);
		expect((await act(tester, call.id, "subscribeToTone", {})).status).toBe(400);
		expect((await act(tester, call.id, "sendDtmfTones", { tones: ["tone1"] })).status).toBe(200);
	});
});

describe("bounds", () => {
	it("a call holds at most 100 unfinished operations; cancelling makes room", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		for (let i = 0; i < 100; i++) await acted(tester, call.id, "playPrompt", { prompts: [PROMPT] });
		const refused = await act(tester, call.id, "playPrompt", { prompts: [PROMPT] });
		expect(refused.status).toBe(400);
		expect((await errorOf(refused)).error.message).toContain("100 unfinished operations");
		await acted(tester, call.id, "cancelMediaProcessing", {});
		expect((await act(tester, call.id, "playPrompt", { prompts: [PROMPT] })).status).toBe(200);
	});
});

describe("operations made by actions", () => {
	it("continue the call's sequence and are listed with the rest", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const a = await acted(tester, call.id, "subscribeToTone", {});
		const b = await acted(tester, call.id, "updateRecordingStatus", { status: "recording" });
		expect(Number(b.response.headers.get("x-stub-sequence"))).toBe(
			Number(a.response.headers.get("x-stub-sequence")) + 1,
		);
		expect(b.operation).toMatchObject({ status: "completed", resultInfo: null });
		const list = await json(await send("GET", `${callUrl(call.id)}/operations`, undefined, { token: tester.token }));
		expect((list.value as { id: string }[]).map((op) => op.id)).toEqual([a.operation.id, b.operation.id]);
	});

	it("sendDtmfTones finishes completed with completedSuccessfully; a bad tone is refused", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		expect((await act(tester, call.id, "sendDtmfTones", { tones: ["tone10"] })).status).toBe(400);
		expect((await act(tester, call.id, "sendDtmfTones", { tones: [] })).status).toBe(400);
		const { operation } = await acted(tester, call.id, "sendDtmfTones", { tones: ["tone1", "pound"] });
		expect(operation.status).toBe("running");
		await advance(tester, call.id, "operationFinished");
		const [done] = await after3(tester, 1);
		expect(done?.resourceData).toMatchObject({
			"@odata.type": "#microsoft.graph.sendDtmfTonesOperation",
			status: "completed",
			completionReason: "completedSuccessfully",
		});
	});

	it("follow the tester's progression script when one is set for their type, to the call's callbackUri", async () => {
		const tester = newTester();
		const call = await establishedCall(tester, {}, "beta"); // beta: playPromptOperation.completionReason is heard
		const script = [{ status: "Completed", afterMs: 0, completionReason: "completedSuccessfully" }];
		await send(
			"PUT",
			`${ORIGIN}/_stub/calls/${call.id}/config`,
			{ progression: { byType: { "#microsoft.graph.playPromptOperation": script } } },
			{ token: tester.token },
		);
		const { operation } = await acted(tester, call.id, "playPrompt", { prompts: [PROMPT] }, "beta");
		const [done] = await after3(tester, 1);
		expect(done).toMatchObject({
			changeType: "deleted",
			resourceUrl: `/communications/calls/${call.id}/operations/${operation.id}`,
			resourceData: { id: operation.id, status: "completed", completionReason: "completedSuccessfully" },
		});
	});
});

describe("the tester's audio and participants", () => {
	it("the next recording holds the audio the tester PUT, cut to the recorded length", async () => {
		const tester = newTester();
		const call = await establishedCall(tester, { recordMs: 1000 });
		const pcm = Uint8Array.from({ length: pcmBytesFor(3000) }, (_, i) => (i % 7) + 1);
		const upload = await fetchPut(call.id, tester.token, wavFile(pcm, 3000));
		expect(upload.status).toBe(204);
		const notWav = await fetchPut(call.id, tester.token, new TextEncoder().encode("nope"));
		expect(notWav.status).toBe(400);
		expect((await fetchPut(call.id, tester.token, wavFile(new Uint8Array(0), 40_000))).status).toBe(413);
		await acted(tester, call.id, "recordResponse", {});
		await advance(tester, call.id, "operationFinished");
		const [done] = await after3(tester, 1);
		const wav = new Uint8Array(
			await (
				await send("GET", String(done?.resourceData.recordingLocation), undefined, {
					token: String(done?.resourceData.recordingAccessToken),
				})
			).arrayBuffer(),
		);
		expect(wav.byteLength).toBe(44 + pcmBytesFor(1000));
		expect([...wav.subarray(44)]).toEqual([...pcm.subarray(0, pcmBytesFor(1000))]);
		// Another call's key with this token, or a key that names nothing: 401 alike.
		const location = String(done?.resourceData.recordingLocation);
		const token = String(done?.resourceData.recordingAccessToken);
		const other = location.replace(/\/_stub\/recordings\/[^.]+/, `/_stub/recordings/${btoa('["x","y"]')}`);
		expect((await send("GET", other, undefined, { token })).status).toBe(401);
		expect((await send("GET", `${ORIGIN}/_stub/recordings/%E0%A4%A`, undefined, { token })).status).toBe(401);
		// A key naming a call id no route accepts (or an overlong namespace) never reaches a call object.
		const b64 = (pair: string[]) =>
			btoa(JSON.stringify(pair)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
		for (const pair of [
			["a", "b".repeat(1100)],
			["n".repeat(1100), "c"],
			["a", ""],
		])
			expect((await send("GET", `${ORIGIN}/_stub/recordings/${b64(pair)}.x`, undefined, { token })).status).toBe(401);
	});

	it("DELETE a participant: 204 and a roster without them; GET it again: 404", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const list = await json(await send("GET", `${callUrl(call.id)}/participants`, undefined, { token: tester.token }));
		const target = (list.value as { id: string }[])[1];
		const url = `${callUrl(call.id)}/participants/${target?.id}`;
		expect((await send("GET", url, undefined, { token: tester.token })).status).toBe(200);
		expect((await send("DELETE", url, undefined, { token: tester.token })).status).toBe(204);
		const [roster] = await after3(tester, 1);
		expect(((roster?.resourceData ?? []) as unknown as unknown[]).length).toBe(1);
		expect((await send("GET", url, undefined, { token: tester.token })).status).toBe(404);
		void received;
	});
});

function fetchPut(callId: string, token: string, body: Uint8Array) {
	return exports.default.fetch(`${ORIGIN}/_stub/calls/${callId}/recording`, {
		method: "PUT",
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "audio/wav" },
		body,
	});
}
