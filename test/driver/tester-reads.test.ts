import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Timeline } from "../../src/objects/timeline/timeline";
import { act, acted, after3, establishedCall, PROMPT } from "../actions/helpers";
import { advance, callUrl, newTester, received } from "../calls/helpers";
import { errorOf, json, ORIGIN, operationsUrl, send } from "../helpers/graph";

// What the test driver (the package's startStub() helpers) reads and drives through /_stub: reads that
// are never Graph traffic, the notification journal's lifted facts, either spelling of a tone, and the
// live socket pushing an operation that becomes running.

const stub = (token: string, method: string, path: string, body?: unknown) =>
	send(method, `${ORIGIN}/_stub/calls/${path}`, body, { token });

describe("GET /_stub/calls/{id}/operations and GET /_stub/calls/{id}", () => {
	it("are not screened by a fault plan, not counted for Retry-After and not journaled", async () => {
		const token = `reads-${crypto.randomUUID()}`;
		const callId = "tester-reads";
		const plan = { faults: { rules: [{ route: "any", nth: [2, 3, 4, 5, 6], status: 429, retryAfterSeconds: 60 }] } };
		expect((await stub(token, "PUT", `${callId}/config`, plan)).status).toBe(200);
		expect((await send("POST", operationsUrl(callId), { id: "op-1" }, { token })).status).toBe(201);
		expect((await send("GET", operationsUrl(callId), undefined, { token })).status).toBe(429); // the bot's 2nd
		for (let i = 0; i < 3; i++) {
			const read = await stub(token, "GET", `${callId}/operations`);
			expect(read.status).toBe(200);
			expect(((await json(read)).value as { id: string }[]).map((op) => op.id)).toEqual(["op-1"]);
		}
		const journal = (await json(await stub(token, "GET", `${callId}/journal`))).value as { kind: string }[];
		expect(journal.map((entry) => entry.kind)).toEqual(["fault"]); // no violation from the tester's reads
		const count = await json(await stub(token, "GET", `${callId}/requests?count=true`));
		expect(count["@odata.count"]).toBe(2); // the bot's create and its faulted list only
		// The bot's next request is still its 3rd for the plan: faulted, and early.
		expect((await send("GET", operationsUrl(callId), undefined, { token })).status).toBe(429);
	});

	it("pages with $top and @odata.nextLink; 404 for a call that holds nothing", async () => {
		const token = `paging-${crypto.randomUUID()}`;
		const callId = "tester-paging";
		for (const id of ["a", "b", "c"])
			expect((await send("POST", operationsUrl(callId), { id }, { token })).status).toBe(201);
		const first = await json(await stub(token, "GET", `${callId}/operations?$top=2`));
		expect((first.value as { id: string }[]).map((op) => op.id)).toEqual(["a", "b"]);
		const next = String(first["@odata.nextLink"]);
		expect(next.startsWith(`${ORIGIN}/_stub/calls/${callId}/operations?`)).toBe(true);
		const second = await json(await send("GET", next, undefined, { token }));
		expect((second.value as { id: string }[]).map((op) => op.id)).toEqual(["c"]);
		expect(second).not.toHaveProperty("@odata.nextLink");
		const missing = await stub(token, "GET", "nobody/operations");
		expect(missing.status).toBe(404);
		expect((await errorOf(missing)).error.code).toBe("8522");
		expect((await stub(token, "GET", "nobody")).status).toBe(404);
		expect((await stub(token, "GET", `${callId}/operations?$top=0`)).status).toBe(400);
	});

	it("reads the call resource, an ended call too (Graph's GET says 404 then)", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const read = await json(await stub(tester.token, "GET", call.id));
		expect(read).toMatchObject({ id: call.id, state: "established", "@odata.type": "#microsoft.graph.call" });
		expect((await send("DELETE", callUrl(call.id), undefined, { token: tester.token })).status).toBe(204);
		await advance(tester, call.id);
		await received(tester, 5);
		expect((await send("GET", callUrl(call.id), undefined, { token: tester.token })).status).toBe(404);
		expect(await json(await stub(tester.token, "GET", call.id))).toMatchObject({ state: "terminated" });
		const requests = await json(await stub(tester.token, "GET", `${call.id}/requests?route=getCall&count=true`));
		expect(requests["@odata.count"]).toBe(1); // the bot's GET only
	});
});

describe("the notification journal", () => {
	it("lifts the call's state, the operation's type and status next to the delivery state", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		await acted(tester, call.id, "playPrompt", { prompts: [PROMPT] });
		await advance(tester, call.id, "operationFinished");
		await after3(tester, 1);
		const journal = (await json(await stub(tester.token, "GET", `${call.id}/notifications`))).value as Record<
			string,
			unknown
		>[];
		expect(
			journal.map(({ changeType, callState, operationType, operationStatus }) => ({
				changeType,
				callState,
				operationType,
				operationStatus,
			})),
		).toEqual([
			{ changeType: "updated", callState: "establishing", operationType: null, operationStatus: null },
			{ changeType: "updated", callState: "established", operationType: null, operationStatus: null },
			{ changeType: "updated", callState: "established", operationType: null, operationStatus: null },
			{
				changeType: "deleted",
				callState: null,
				operationType: "#microsoft.graph.playPromptOperation",
				operationStatus: "completed",
			},
		]);
	});
});

describe("tones in either spelling", () => {
	it("the far side presses `#` or `pound`, `1` or `tone1`; `pound` is a stop tone like `#`", async () => {
		const tester = newTester();
		// Through beta, whose recordOperation declares the completionReason this checks.
		const call = await establishedCall(tester, { recordMs: 60_000 }, "beta");
		await acted(tester, call.id, "subscribeToTone", {}, "beta");
		const body = { stopTones: ["pound", "*"], maxRecordDurationInSeconds: 10 };
		const record = (await acted(tester, call.id, "recordResponse", body, "beta")).operation;
		expect(record.stopTones ?? ["pound", "*"]).toEqual(["pound", "*"]); // echoed as sent, if at all
		expect((await stub(tester.token, "POST", `${call.id}/tones`, { tones: ["1", "tone2", "#"] })).status).toBe(202);
		const heard = await after3(tester, 4);
		expect(heard.slice(0, 3).map((n) => (n.resourceData.toneInfo as { tone: string }).tone)).toEqual([
			"tone1",
			"tone2",
			"pound",
		]);
		expect(heard[3]?.resourceData).toMatchObject({ id: record.id, completionReason: "stopToneDetected" });
	});

	it("refuses what is neither spelling, naming it; sendDtmfTones keeps Graph's enum", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const bad = await stub(tester.token, "POST", `${call.id}/tones`, { tones: ["1", "hash"] });
		expect(bad.status).toBe(400);
		expect((await errorOf(bad)).error.details?.map((d) => d.target)).toEqual(["tones[1]"]);
		const stop = await act(tester, call.id, "recordResponse", { stopTones: ["#", "E"] });
		expect((await errorOf(stop)).error.details?.map((d) => d.target)).toEqual(["stopTones[1]"]);
		const dtmf = await act(tester, call.id, "sendDtmfTones", { tones: ["#"] });
		expect(dtmf.status).toBe(400);
	});
});

describe("the live timeline", () => {
	it("pushes an operation that a progression makes running (status spelt as notifications do), with no request in between", async () => {
		const token = `live-running-${crypto.randomUUID()}`;
		const callId = "live-running";
		const config = { progression: { default: [{ status: "Running", afterMs: 50 }] } };
		expect((await stub(token, "PUT", `${callId}/config`, config)).status).toBe(200);
		const response = await exports.default.fetch(`${ORIGIN}/_stub/calls/${callId}/live?access_token=${token}`, {
			headers: { Upgrade: "websocket" },
		});
		const socket = response.webSocket;
		if (!socket) throw new Error("no WebSocket");
		const running = new Promise<Timeline>((resolve) => {
			socket.addEventListener("message", (event) => {
				const timeline = JSON.parse(String(event.data)) as Timeline;
				if (timeline.operations[0]?.status === "running") resolve(timeline);
			});
		});
		socket.accept();
		expect((await send("POST", operationsUrl(callId), { id: "op-1" }, { token })).status).toBe(201);
		const seen = await running;
		expect(seen.operations).toEqual([{ id: "op-1", type: "#microsoft.graph.commsOperation", status: "running" }]);
		expect(seen.requests).toHaveLength(1); // only the create: the change came from the call's clock
		socket.close();
	});
});

describe("PATCH /_stub/config", () => {
	it("merges into the namespace default (null removes a key), keeps the write-only callbackToken, validates the whole", async () => {
		const token = `patch-${crypto.randomUUID()}`;
		const config = (method: string, body?: unknown) => send(method, `${ORIGIN}/_stub/config`, body, { token });
		const start = {
			callbackUri: "http://127.0.0.1:9/hook",
			callbackToken: "s3cret",
			calling: { setupMs: 10, promptMs: 20 },
			faults: { rules: [{ route: "create", nth: 1, status: 503 }] },
		};
		expect((await config("PUT", start)).status).toBe(200);
		const patched = await config("PATCH", { calling: { promptMs: 30 }, faults: null });
		expect(patched.status).toBe(200);
		expect((await json(patched)).config).toEqual({
			callbackUri: "http://127.0.0.1:9/hook",
			callbackTokenSet: true,
			calling: { setupMs: 10, promptMs: 30 },
		});
		const bad = await config("PATCH", { calling: { promptMs: -1 } });
		expect(bad.status).toBe(400);
		expect((await json(await config("GET"))).config).toMatchObject({ calling: { setupMs: 10, promptMs: 30 } });
		// A call that begins now inherits the merged default, its token included.
		const callId = "patched";
		expect((await send("POST", operationsUrl(callId), {}, { token })).status).toBe(201); // no fault plan left
		const view = await json(await send("GET", `${ORIGIN}/_stub/calls/${callId}/config`, undefined, { token }));
		expect(view.effective).toMatchObject({ callbackTokenSet: true, calling: { promptMs: 30 } });
	});
});
