import { describe, expect, it } from "vitest";
import { create, errorOf, json, operationsUrl, send, uniqueCallId } from "../helpers/graph";

const patch = (callId: string, id: string, body: unknown, version = "beta") =>
	send("PATCH", `${operationsUrl(callId, version)}/${encodeURIComponent(id)}`, body);
const get = async (callId: string, id: string) => json(await send("GET", `${operationsUrl(callId)}/${id}`));
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("PATCH …/operations/{id}", () => {
	it("updates status, resultInfo, clientContext and dynamic properties; keeps the sequence", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "first" });
		const created = await json(await create(callId, { id: "op", custom: 1, keep: "me" }));
		await tick();
		const response = await patch(callId, "op", {
			status: "completed",
			resultInfo: { code: 200, subcode: 0, message: "done" },
			clientContext: "ctx",
			custom: 2,
			added: { x: true },
		});
		expect(response.status).toBe(200);
		expect(response.headers.get("x-stub-sequence")).toBe("2");
		const body = await json(response);
		expect(body).toMatchObject({
			id: "op",
			status: "Completed",
			resultInfo: { "@odata.type": "#microsoft.graph.resultInfo", code: 200, subcode: 0, message: "done" },
			clientContext: "ctx",
			custom: 2,
			keep: "me",
			added: { x: true },
			createdDateTime: created.createdDateTime,
		});
		expect(String(body.lastActionDateTime) > String(created.lastActionDateTime)).toBe(true);
		expect(Object.keys(body).slice(-2)).toEqual(["createdDateTime", "lastActionDateTime"]);
		expect(await get(callId, "op")).toEqual(body);
	});

	it("leaves properties the body does not name untouched, and sets null where it says null", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "op", status: "Running", clientContext: "c", resultInfo: { code: 1, subcode: 2 } });
		const body = await json(await patch(callId, "op", { clientContext: null }));
		expect(body).toMatchObject({ status: "Running", clientContext: null, resultInfo: { code: 1, subcode: 2 } });
	});

	it("refuses bad fields, naming each, and changes nothing", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "op", status: "Running" });
		const before = await get(callId, "op");
		const response = await patch(callId, "op", { status: null, resultInfo: { code: "x" }, clientContext: 5 });
		expect(response.status).toBe(400);
		const { error } = await errorOf(response);
		expect(error.details?.map((d) => d.target).sort()).toEqual(
			["clientContext", "resultInfo.code", "resultInfo.subcode", "status"].sort(),
		);
		expect(await get(callId, "op")).toEqual(before);
	});

	it("refuses a change of id or @odata.type but accepts them repeated unchanged", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "op", "@odata.type": "#microsoft.graph.recordOperation" });
		const newId = await patch(callId, "op", { id: "other" });
		expect(newId.status).toBe(400);
		expect((await errorOf(newId)).error.details?.[0]?.target).toBe("id");
		const newType = await patch(callId, "op", { "@odata.type": "#microsoft.graph.playPromptOperation" });
		expect((await errorOf(newType)).error.details?.[0]?.target).toBe("@odata.type");
		const same = await patch(callId, "op", {
			id: "op",
			"@odata.type": "microsoft.graph.recordOperation",
			status: "Failed",
		});
		expect(same.status).toBe(200);
		expect((await json(same))["@odata.type"]).toBe("#microsoft.graph.recordOperation");
	});

	it("validates the properties of the operation's own derived type", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "rec", "@odata.type": "#microsoft.graph.recordOperation" });
		expect((await patch(callId, "rec", { completionReason: "nope" })).status).toBe(400);
		const ok = await patch(callId, "rec", { completionReason: "stopToneDetected", recordingLocation: "x" });
		expect(await json(ok)).toMatchObject({ completionReason: "stopToneDetected", recordingLocation: "x" });
	});

	it("answers 404 for an unknown operation or call and needs a JSON body", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "op" });
		expect((await errorOf(await patch(callId, "nope", {}))).error.code).toBe("itemNotFound");
		expect((await errorOf(await patch(uniqueCallId(), "nope", {}))).error.code).toBe("8522");
		expect((await patch(callId, "op", "[1]")).status).toBe(400);
	});
});

describe("DELETE …/operations/{id}", () => {
	it("answers 204, the operation is gone, and its sequence number is never reused", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "a" });
		await create(callId, { id: "b" });
		const response = await send("DELETE", `${operationsUrl(callId)}/b`);
		expect(response.status).toBe(204);
		expect(response.headers.get("request-id")).toBeTruthy();
		expect((await send("GET", `${operationsUrl(callId)}/b`)).status).toBe(404);
		const next = await create(callId, { id: "b" });
		expect(next.headers.get("x-stub-sequence")).toBe("3");
	});

	it("keeps the call after its last operation is deleted: the list is empty, not 8522", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "only" });
		await send("DELETE", `${operationsUrl(callId)}/only`);
		const list = await send("GET", operationsUrl(callId));
		expect(list.status).toBe(200);
		expect((await json(list)).value).toEqual([]);
	});

	it("answers 404 itemNotFound twice over, and 405 with Allow for other methods", async () => {
		const callId = uniqueCallId();
		await create(callId, { id: "a" });
		await send("DELETE", `${operationsUrl(callId)}/a`);
		expect((await errorOf(await send("DELETE", `${operationsUrl(callId)}/a`))).error.code).toBe("itemNotFound");
		const put = await send("PUT", `${operationsUrl(callId)}/a`, {});
		expect(put.status).toBe(405);
		expect(put.headers.get("Allow")).toBe("GET, PATCH, DELETE");
	});
});
