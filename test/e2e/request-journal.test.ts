import { expect, it } from "vitest";
import { operationsUrl, postJson, startStub, tempStateDir } from "./helpers/stub.ts";

type Entry = { sequence: number; route: string; clientRequestId: string; requestBody?: unknown };

const journal = async (base: string, callId: string) => {
	const response = await fetch(`${base}/_stub/calls/${callId}/requests`, {
		headers: { Authorization: "Bearer e2e-token" },
	});
	expect(response.status).toBe(200);
	return ((await response.json()) as { value: Entry[] }).value;
};

// The request journal is the call's storage, not its memory: it outlives the process, and its
// sequence continues where it stopped.
it("keeps the request journal across a restart on the same folder; its sequence continues", async () => {
	const stateDir = await tempStateDir();
	const first = await startStub({ stateDir });
	try {
		for (const id of ["a", "b"])
			expect(
				(await postJson(operationsUrl(first.base, "kept"), { id }, "e2e-token", { "client-request-id": `crid-${id}` }))
					.status,
			).toBe(201);
	} finally {
		await first.dispose();
	}
	const second = await startStub({ stateDir });
	try {
		const kept = await journal(second.base, "kept");
		expect(kept.map((entry) => [entry.sequence, entry.route, entry.clientRequestId, entry.requestBody])).toEqual([
			[2, "createOperation", "crid-b", { id: "b" }],
			[1, "createOperation", "crid-a", { id: "a" }],
		]);
		expect((await postJson(operationsUrl(second.base, "kept"), { id: "c" })).status).toBe(201);
		expect((await journal(second.base, "kept")).map((entry) => entry.sequence)).toEqual([3, 2, 1]);
	} finally {
		await second.dispose();
	}
});
