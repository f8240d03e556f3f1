import { describe, expect, it } from "vitest";
import { create, errorOf, json, operationsUrl, send, uniqueCallId } from "../helpers/graph";

// One stored operation is read through both versions, so a property either version declares is held
// to the declaring version's rule on every write, whichever version the write came through.

const PLAY_PROMPT = "#microsoft.graph.playPromptOperation";
const RECORD = "#microsoft.graph.recordOperation";
const MUTE_PARTICIPANTS = "#microsoft.graph.muteParticipantsOperation";

async function expectRefusedField(response: Response, target: string) {
	expect(response.status).toBe(400);
	const { error } = await errorOf(response);
	expect(error.details?.map((detail) => detail.target)).toEqual([target]);
	return error;
}

describe("properties declared only on beta are validated through v1.0 too", () => {
	it("refuses a bad playPromptOperation.completionReason created through v1.0", async () => {
		const response = await create(
			uniqueCallId(),
			{ "@odata.type": PLAY_PROMPT, completionReason: "bogus" },
			{},
			"v1.0",
		);
		const error = await expectRefusedField(response, "completionReason");
		expect(error.message).toContain("not a valid playPromptCompletionReason");
	});

	it("refuses a bad recordOperation.completionReason created through v1.0", async () => {
		const response = await create(uniqueCallId(), { "@odata.type": RECORD, completionReason: "stopped" }, {}, "v1.0");
		await expectRefusedField(response, "completionReason");
	});

	it("refuses it on a PATCH through v1.0 of an operation created through beta, and changes nothing", async () => {
		const callId = uniqueCallId();
		await create(callId, { "@odata.type": PLAY_PROMPT, id: "op", completionReason: "unknown" });
		const url = `${operationsUrl(callId, "v1.0")}/op`;
		await expectRefusedField(await send("PATCH", url, { completionReason: "bogus" }), "completionReason");
		expect((await json(await send("GET", `${operationsUrl(callId)}/op`))).completionReason).toBe("unknown");
	});

	it("stores a good value sent through v1.0 in the schema's spelling, as beta reads it", async () => {
		const callId = uniqueCallId();
		const created = await create(
			callId,
			{ "@odata.type": PLAY_PROMPT, id: "op", completionReason: "COMPLETEDSUCCESSFULLY" },
			{},
			"v1.0",
		);
		expect(created.status).toBe(201);
		const read = await json(await send("GET", `${operationsUrl(callId)}/op`));
		expect(read.completionReason).toBe("completedSuccessfully");
	});

	it("still refuses beta-only types on v1.0", async () => {
		const response = await create(
			uniqueCallId(),
			{ "@odata.type": "#microsoft.graph.muteParticipantsOperation", participants: ["a"] },
			{},
			"v1.0",
		);
		await expectRefusedField(response, "@odata.type");
	});

	it("holds a beta-only type to beta's declaration on a PATCH through v1.0, and stores nothing", async () => {
		const callId = uniqueCallId();
		const created = await create(callId, { "@odata.type": MUTE_PARTICIPANTS, id: "op", participants: ["a"] });
		expect(created.status).toBe(201);
		const url = `${operationsUrl(callId, "v1.0")}/op`;
		const refused: [unknown, string][] = [
			[{}, "participants"],
			["a", "participants"],
			[[1], "participants[0]"],
			[["a", null], "participants[1]"],
		];
		for (const [participants, target] of refused) {
			const error = await expectRefusedField(await send("PATCH", url, { participants }), target);
			expect(error.code).toBe("BadRequest");
		}
		// One refused field among good ones: nothing of the body is stored.
		const mixed = await send("PATCH", url, { clientContext: "changed", participants: {} });
		await expectRefusedField(mixed, "participants");
		const stored = await json(await send("GET", `${operationsUrl(callId)}/op`));
		expect([stored.participants, stored.clientContext]).toEqual([["a"], null]);
		// A value beta's declaration allows goes through v1.0 as through beta.
		expect((await send("PATCH", url, { participants: ["b", "c"] })).status).toBe(200);
		expect((await json(await send("GET", `${operationsUrl(callId)}/op`))).participants).toEqual(["b", "c"]);
	});
});
