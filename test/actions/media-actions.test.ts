import { describe, expect, it } from "vitest";
import { advance, callUrl, newTester, received } from "../calls/helpers";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { act, acted, after3, establishedCall, PROMPT } from "./helpers";

describe("playPrompt", () => {
	it("answers 200 with a running playPromptOperation and its Location; finishes with the documented `deleted` shape", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const { response, operation } = await acted(tester, call.id, "playPrompt", {
			prompts: [PROMPT],
			clientContext: "ctx-1",
		});
		expect(response.status).toBe(200);
		expect(operation).toMatchObject({
			"@odata.type": "#microsoft.graph.playPromptOperation",
			status: "running",
			clientContext: "ctx-1",
		});
		const location = response.headers.get("Location");
		expect(location).toBe(`${callUrl(call.id)}/operations/${operation.id}`);
		const read = await send("GET", location ?? "", undefined, { token: tester.token });
		expect(read.status).toBe(200);
		expect(await json(read)).toMatchObject({ id: operation.id, status: "running" });

		await advance(tester, call.id, "operationFinished");
		const [done] = await after3(tester, 1);
		expect(done).toEqual({
			"@odata.type": "#microsoft.graph.commsNotification",
			changeType: "deleted",
			resource: `/app/calls/${call.id}/operations/${operation.id}`,
			resourceUrl: `/communications/calls/${call.id}/operations/${operation.id}`,
			// v1.0's playPromptOperation declares no completionReason (beta's does); no `prompts` echo.
			resourceData: {
				"@odata.type": "#microsoft.graph.playPromptOperation",
				"@odata.id": `/communications/calls/${call.id}/operations/${operation.id}`,
				"@odata.etag": expect.stringMatching(/^W\/"\d+"$/),
				id: operation.id,
				status: "completed",
				clientContext: "ctx-1",
				resultInfo: {
					"@odata.type": "#microsoft.graph.resultInfo",
					code: 200,
					subcode: 0,
					message: "Action completed successfully.",
				},
			},
		});
	});

	it("refuses bodies past Graph's limits, naming every failing field", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const tooMany = Array.from({ length: 21 }, () => PROMPT);
		const response = await act(tester, call.id, "playPrompt", {
			prompts: tooMany,
			clientContext: "x".repeat(257),
			loop: true,
		});
		expect(response.status).toBe(400);
		const targets = (await errorOf(response)).error.details?.map((d) => d.target);
		expect(targets).toEqual(expect.arrayContaining(["prompts", "clientContext", "loop"]));
		expect((await act(tester, call.id, "playPrompt", { prompts: [] })).status).toBe(400);
		// beta takes `loop`
		expect((await act(tester, call.id, "playPrompt", { prompts: [PROMPT], loop: false }, "beta")).status).toBe(200);
	});

	it("is reachable namespace-qualified and under /app/calls; an unknown call is 404 8522", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		expect((await act(tester, call.id, "microsoft.graph.playPrompt", { prompts: [PROMPT] })).status).toBe(200);
		const app = await send(
			"POST",
			`${ORIGIN}/v1.0/app/calls/${call.id}/playPrompt`,
			{ prompts: [PROMPT] },
			{ token: tester.token },
		);
		expect(app.status).toBe(200);
		const unknown = await act(tester, "no-such-call", "playPrompt", { prompts: [PROMPT] });
		expect(unknown.status).toBe(404);
		expect((await errorOf(unknown)).error.code).toBe("8522");
	});
});

describe("recordResponse limits", () => {
	it.each([
		[{ prompts: [PROMPT, PROMPT] }, "prompts"],
		[{ initialSilenceTimeoutInSeconds: 0 }, "initialSilenceTimeoutInSeconds"],
		[{ maxSilenceTimeoutInSeconds: 121 }, "maxSilenceTimeoutInSeconds"],
		[{ maxRecordDurationInSeconds: 1.5 }, "maxRecordDurationInSeconds"],
		[{ stopTones: ["hash"] }, "stopTones[0]"],
		[{ bargeInAllowed: "yes" }, "bargeInAllowed"],
		[{ recordFor: 3 }, "recordFor"],
	])("refuses %j", async (body, target) => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const response = await act(tester, call.id, "recordResponse", body);
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error.details?.map((d) => d.target)).toContain(target);
	});
});

describe("the media queue", () => {
	it("plays one at a time in arrival order; a barge-in recordResponse goes first", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const first = (await acted(tester, call.id, "playPrompt", { prompts: [PROMPT], clientContext: "1" })).operation;
		const [second, third] = await Promise.all([
			acted(tester, call.id, "playPrompt", { prompts: [PROMPT], clientContext: "2" }),
			acted(tester, call.id, "playPrompt", { prompts: [PROMPT], clientContext: "3" }),
		]);
		const barge = (await acted(tester, call.id, "recordResponse", { bargeInAllowed: true, clientContext: "b" }))
			.operation;
		for (let i = 1; i <= 4; i++) {
			await advance(tester, call.id, "operationFinished");
			await after3(tester, i);
		}
		const order = (await after3(tester, 4)).map((n) => n.resourceData.clientContext);
		expect(order[0]).toBe("1");
		expect(order[1]).toBe("b");
		expect(order.slice(2).sort()).toEqual(["2", "3"]);
		expect(first.id).not.toBe(barge.id);
		expect(second.operation.id).not.toBe(third.operation.id);
	});

	it("cancelMediaProcessing fails the running and every queued one with 400/8508 (beta: with completionReason)", async () => {
		const tester = newTester();
		const call = await establishedCall(tester, {}, "beta");
		const play = (await acted(tester, call.id, "playPrompt", { prompts: [PROMPT] }, "beta")).operation;
		const record = (await acted(tester, call.id, "recordResponse", {}, "beta")).operation;
		const { response, operation } = await acted(
			tester,
			call.id,
			"cancelMediaProcessing",
			{ clientContext: "c" },
			"beta",
		);
		expect(response.status).toBe(200);
		expect(operation).toMatchObject({
			"@odata.type": "#microsoft.graph.cancelMediaProcessingOperation",
			status: "completed",
		});
		const [a, b] = await after3(tester, 2);
		const cancelled = {
			"@odata.type": "#microsoft.graph.resultInfo",
			code: 400,
			subcode: 8508,
			message: "Action failed, the operation was cancelled.",
		};
		expect(a?.resourceData).toMatchObject({
			id: play.id,
			status: "failed",
			resultInfo: cancelled,
			completionReason: "mediaOperationCanceled",
		});
		expect(b?.resourceData).toMatchObject({
			id: record.id,
			status: "failed",
			resultInfo: cancelled,
			completionReason: "operationCanceled",
			recordingLocation: "",
		});
	});

	it("a hang-up fails whatever is queued, before the call's `deleted`", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const play = (await acted(tester, call.id, "playPrompt", { prompts: [PROMPT] })).operation;
		expect((await send("DELETE", callUrl(call.id), undefined, { token: tester.token })).status).toBe(204);
		const heard = await after3(tester, 3);
		expect(heard.map((n) => `${n.changeType}:${String(n.resourceData.state ?? n.resourceData.status)}`)).toEqual([
			"updated:terminating",
			"deleted:failed",
			"deleted:terminated",
		]);
		expect(heard[1]?.resourceData.id).toBe(play.id);
		expect((await act(tester, call.id, "playPrompt", { prompts: [PROMPT] })).status).toBe(404);
	});
});

describe("tones, stop tones and recordings", () => {
	it("toneInfo with increasing sequenceId once subscribed; `#` ends a recording; its WAV needs its token", async () => {
		const tester = newTester();
		const call = await establishedCall(tester, { recordMs: 60_000 }, "beta"); // beta: completionReason is heard
		const tones = (body: unknown) =>
			send("POST", `${ORIGIN}/_stub/calls/${call.id}/tones`, body, { token: tester.token });
		expect((await tones({ tones: ["tone1"] })).status).toBe(202); // not subscribed: nothing heard
		const sub = await acted(tester, call.id, "subscribeToTone", {});
		expect(sub.operation.status).toBe("completed");
		const record = (
			await acted(tester, call.id, "recordResponse", { stopTones: ["#"], maxRecordDurationInSeconds: 10 })
		).operation;
		expect(record).toMatchObject({ status: "running", recordingLocation: null });
		expect((await tones({ tones: ["tone2", "pound"] })).status).toBe(202);
		const heard = await after3(tester, 3);
		expect(heard[0]?.resourceData.toneInfo).toEqual({
			"@odata.type": "#microsoft.graph.toneInfo",
			sequenceId: 1,
			tone: "tone2",
		});
		expect(heard[1]?.resourceData.toneInfo).toMatchObject({ sequenceId: 2, tone: "pound" });
		const done = heard[2]?.resourceData as Record<string, unknown>;
		expect(done).toMatchObject({ id: record.id, status: "completed", completionReason: "stopToneDetected" });
		expect(done.resultInfo).toMatchObject({ code: 200, subcode: 0 });
		const location = String(done.recordingLocation);
		expect(location.startsWith(`${ORIGIN}/_stub/recordings/`)).toBe(true);
		const wav = await send("GET", location, undefined, { token: String(done.recordingAccessToken) });
		expect(wav.status).toBe(200);
		expect(wav.headers.get("Content-Type")).toBe("audio/wav");
		const bytes = new Uint8Array(await wav.arrayBuffer());
		expect(String.fromCharCode(...bytes.slice(0, 4))).toBe("RIFF");
		expect((await send("GET", location, undefined, { token: "wrong" })).status).toBe(401);
		expect((await send("GET", location, undefined, { token: null })).status).toBe(401);
		expect((await send("GET", location, undefined, { token: tester.token })).status).toBe(401);
	});

	it("a recording that runs its time ends maxRecordDurationReached (200/8515) with a WAV of that length", async () => {
		const tester = newTester();
		const call = await establishedCall(tester, { recordMs: 1500 }, "beta"); // beta: completionReason is heard
		await acted(tester, call.id, "recordResponse", {});
		await advance(tester, call.id, "operationFinished");
		const [done] = await after3(tester, 1);
		expect(done?.resourceData).toMatchObject({
			completionReason: "maxRecordDurationReached",
			resultInfo: { code: 200, subcode: 8515 },
		});
		const wav = await send("GET", String(done?.resourceData.recordingLocation), undefined, {
			token: String(done?.resourceData.recordingAccessToken),
		});
		const bytes = new Uint8Array(await wav.arrayBuffer());
		expect(bytes.byteLength).toBe(44 + 1500 * 32);
	});
});

describe("participants and the roster", () => {
	it("invite: 200 with status Running, then `deleted` completed and a roster array with the invitee", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const invitee = { identity: { user: { id: "u-2", displayName: "Second" } } };
		const { response, operation } = await acted(tester, call.id, "participants/invite", { participants: [invitee] });
		expect(response.status).toBe(200);
		expect(operation).toMatchObject({
			"@odata.type": "#microsoft.graph.inviteParticipantsOperation",
			status: "Running",
		});
		const six = Array.from({ length: 6 }, () => invitee);
		expect((await act(tester, call.id, "participants/invite", { participants: six })).status).toBe(400);
		await advance(tester, call.id, "operationFinished");
		const [done, roster] = await after3(tester, 2);
		expect(done?.resourceData).toMatchObject({ id: operation.id, status: "completed" });
		expect(roster?.resourceUrl).toBe(`/communications/calls/${call.id}/participants`);
		expect(Array.isArray(roster?.resourceData)).toBe(true);
		const names = (
			(roster?.resourceData ?? []) as unknown as { info: { identity: { user?: { displayName: string } } } }[]
		).map((p) => p.info.identity.user?.displayName);
		expect(names).toContain("Second");
		const list = await json(await send("GET", `${callUrl(call.id)}/participants`, undefined, { token: tester.token }));
		expect((list.value as unknown[]).length).toBe(3);
	});

	it("mute answers a completed operation and the roster shows the bot muted; unknown participant 404", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const { operation } = await acted(tester, call.id, "mute", {});
		expect(operation).toMatchObject({
			"@odata.type": "#microsoft.graph.muteParticipantOperation",
			status: "completed",
		});
		const [roster] = await after3(tester, 1);
		const bot = ((roster?.resourceData ?? []) as unknown as { id: string; isMuted: boolean }[]).find(
			(p) => p.id === call.myParticipantId,
		);
		expect(bot?.isMuted).toBe(true);
		expect((await act(tester, call.id, "participants/nobody/mute", {})).status).toBe(404);
	});

	it("the tester's roster change: join and leave, one roster notification", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const joinBody = { join: [{ identity: { user: { id: "u-9", displayName: "Joiner" } } }] };
		const r = await send("POST", `${ORIGIN}/_stub/calls/${call.id}/roster`, joinBody, { token: tester.token });
		expect(r.status).toBe(202);
		const [roster] = await after3(tester, 1);
		expect(((roster?.resourceData ?? []) as unknown as unknown[]).length).toBe(3);
	});
});

describe("v1.0 and beta", () => {
	it("beta-only actions are unknown segments on v1.0, 202 + Location on beta", async () => {
		const tester = newTester();
		const call = await establishedCall(tester, {}, "beta");
		const v1 = await act(tester, call.id, "startRecording", {}, "v1.0");
		expect(v1.status).toBe(404);
		expect((await errorOf(v1)).error.message).toBe("Resource not found for the segment 'startRecording'.");
		const beta = await act(tester, call.id, "startRecording", {}, "beta");
		expect(beta.status).toBe(202);
		expect(beta.headers.get("Location")).toContain("/beta/communications/calls/");
		expect(await json(beta)).toMatchObject({
			"@odata.type": "#microsoft.graph.startRecordingOperation",
			status: "running",
		});
		// The one form beta's documentation page shows.
		const documented = await act(tester, call.id, "microsoft.graph.StartRecording", {}, "beta");
		expect(documented.status).toBe(202);
	});

	it("changeScreenSharingRole: 202 with no body; a bad role is refused", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const ok = await act(tester, call.id, "changeScreenSharingRole", { role: "sharer" });
		expect(ok.status).toBe(202);
		expect(await ok.text()).toBe("");
		expect((await act(tester, call.id, "changeScreenSharingRole", { role: "owner" })).status).toBe(400);
	});
});

describe("fault plans", () => {
	it("apply to an action by its name", async () => {
		const tester = newTester();
		const call = await establishedCall(tester, {});
		await send(
			"PUT",
			`${ORIGIN}/_stub/calls/${call.id}/config`,
			{ calling: { promptMs: 3_600_000 }, faults: { rules: [{ route: "playPrompt", nth: 1, status: 503 }] } },
			{ token: tester.token },
		);
		expect((await act(tester, call.id, "playPrompt", { prompts: [PROMPT] })).status).toBe(503);
		expect((await act(tester, call.id, "playPrompt", { prompts: [PROMPT] })).status).toBe(200);
		void received;
	});
});
