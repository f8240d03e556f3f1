import { describe, expect, it } from "vitest";
import { create, json, operationsUrl, send, uniqueCallId } from "../helpers/graph";
import { fastForward, putCallConfig } from "./helpers";

// A progression step writes completionReason outside any request body: it obeys the same rule as a body
// does, by the type (either version) that declares the property.
const TOKEN = "sim-token";
const step = (completionReason: string) => [{ status: "Completed", afterMs: 100_000, completionReason }];

describe("completionReason set by a progression script", () => {
	it("refuses, when configured, a byType script whose completionReason its type does not allow", async () => {
		const refused = await putCallConfig(uniqueCallId("reason"), {
			progression: { byType: { "#microsoft.graph.playPromptOperation": step("bogus") } },
		});
		expect(refused.status).toBe(400);
		const accepted = await putCallConfig(uniqueCallId("reason"), {
			progression: { byType: { "#microsoft.graph.recordOperation": step("stopToneDetected") } },
		});
		expect(accepted.status).toBe(200);
	});

	it("gives a default script's completionReason only to the types that allow it", async () => {
		const callId = uniqueCallId("reason");
		expect((await putCallConfig(callId, { progression: { default: step("stopToneDetected") } })).status).toBe(200);
		for (const [id, type] of [
			["record", "#microsoft.graph.recordOperation"],
			["prompt", "#microsoft.graph.playPromptOperation"],
			["plain", "#microsoft.graph.commsOperation"],
		])
			await create(callId, { id, "@odata.type": type }, { token: TOKEN });
		await fastForward(callId);
		const list = (await json(await send("GET", operationsUrl(callId), undefined, { token: TOKEN }))).value as {
			id: string;
			status: string;
			completionReason?: string;
		}[];
		expect(list.map((op) => [op.id, op.status, op.completionReason])).toEqual([
			["record", "Completed", "stopToneDetected"],
			["prompt", "Completed", undefined],
			["plain", "Completed", "stopToneDetected"],
		]);
	});
});
