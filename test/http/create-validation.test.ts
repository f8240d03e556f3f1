import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace as testerNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import { create, errorOf, uniqueCallId } from "../helpers/graph";

async function storedRows(callId: string, token = "tester-token") {
	const stub = callObject(env, await testerNamespace(token), callId);
	return runInDurableObject(stub, (_, state) => state.storage.sql.exec("SELECT id FROM operations").toArray().length);
}

/** A 400 whose details name exactly these targets, each also named in the message. */
async function expectRefused(body: unknown, targets: string[], version = "beta") {
	const callId = uniqueCallId();
	const response = await create(callId, body, {}, version);
	expect(response.status).toBe(400);
	const { error } = await errorOf(response);
	expect(error.code).toBe("BadRequest");
	expect((error.details ?? []).map((detail) => detail.target).sort()).toEqual([...targets].sort());
	for (const target of targets) expect(error.message).toContain(`${target}:`);
	expect(await storedRows(callId)).toBe(0);
	return error;
}

describe("refused bodies: 400 naming every failing field, nothing stored", () => {
	it("names every failing field at once, with its JSON path", async () => {
		await expectRefused(
			{
				"@odata.type": "#microsoft.graph.nope",
				id: "",
				status: "Bogus",
				clientContext: "x".repeat(257),
				resultInfo: { code: 1.5, subcode: "0", message: 3, extra: true },
			},
			[
				"@odata.type",
				"id",
				"status",
				"clientContext",
				"resultInfo.code",
				"resultInfo.subcode",
				"resultInfo.message",
				"resultInfo.extra",
			],
		);
	});

	it("names the allowed statuses, refuses null and non-strings", async () => {
		const error = await expectRefused({ status: "Paused" }, ["status"]);
		expect(error.message).toContain("NotStarted, Running, Completed, Failed");
		await expectRefused({ status: null }, ["status"]);
		await expectRefused({ status: 1 }, ["status"]);
		await expectRefused({ status: "unknownFutureValue" }, ["status"]);
	});

	it("refuses ids that are empty, too long, not strings, or hold control characters or lone surrogates", async () => {
		for (const id of ["", "x".repeat(129), 42, null, "tab\there", "nul\u0000", "\ud800"])
			await expectRefused({ id }, ["id"]);
	});

	it("accepts an id of exactly 128 characters and a clientContext of exactly 256", async () => {
		const response = await create(uniqueCallId(), { id: "😀".repeat(128), clientContext: "ü".repeat(256) });
		expect(response.status).toBe(201);
	});

	it("keeps resultInfo strict: required int32 code and subcode, no unknown keys", async () => {
		await expectRefused({ resultInfo: {} }, ["resultInfo.code", "resultInfo.subcode"]);
		await expectRefused({ resultInfo: { code: 2147483648, subcode: -2147483649 } }, [
			"resultInfo.code",
			"resultInfo.subcode",
		]);
		await expectRefused({ resultInfo: "ok" }, ["resultInfo"]);
		await expectRefused({ resultInfo: { code: 1, subcode: 1, "@odata.type": "#microsoft.graph.other" } }, [
			"resultInfo.@odata.type",
		]);
		expect((await create(uniqueCallId(), { resultInfo: null })).status).toBe(201);
	});

	it("refuses a non-string or unknown @odata.type with Graph's message", async () => {
		const error = await expectRefused({ "@odata.type": "#microsoft.graph.call" }, ["@odata.type"]);
		expect(error.message).toContain(
			"A type named '#microsoft.graph.call' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.",
		);
		await expectRefused({ "@odata.type": 7 }, ["@odata.type"]);
		await expectRefused({ "@odata.type": "#Microsoft.Graph.commsOperation" }, ["@odata.type"]);
	});

	it("names array elements by index", async () => {
		await expectRefused(
			{ "@odata.type": "#microsoft.graph.muteParticipantsOperation", participants: ["a", 2, "c", {}] },
			["participants[1]", "participants[3]"],
		);
	});

	it("refuses dynamic properties nested deeper than 32 levels instead of overflowing", async () => {
		let deep: unknown = 1;
		for (let i = 0; i < 5000; i++) deep = [deep];
		await expectRefused({ deep }, ["deep"]);
	});
});
