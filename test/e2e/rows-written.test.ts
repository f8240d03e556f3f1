import { afterAll, beforeAll, expect, it } from "vitest";
import { operationsUrl, postJson, type RunningStub, startStub } from "./helpers/stub.ts";

let stub: RunningStub;
beforeAll(async () => {
	stub = await startStub();
});
afterAll(() => stub?.dispose());

const rowsWritten = (response: Response) => Number(response.headers.get("x-stub-rows-written"));

// What a deployment pays for (docs/deploy.md): the operation's row, its id index entry and the request
// journal's row; plus call_info's last activity, stored at most once a second, so 3 or 4.
it("reports the SQL rows each create wrote in x-stub-rows-written", async () => {
	const url = operationsUrl(stub.base, "rows");
	const first = await postJson(url, { id: "a" }, "rows-token");
	expect(first.status).toBe(201);
	expect(rowsWritten(first)).toBe(4); // the operation, its id's index entry, the journal row, (the first write) call_info
	for (const id of ["b", "c", "d"]) {
		const next = await postJson(url, { id }, "rows-token");
		expect(next.status).toBe(201);
		expect([3, 4]).toContain(rowsWritten(next)); // plus call_info.last_activity at most once a second
	}
	const conflict = await postJson(url, { id: "a" }, "rows-token");
	expect(conflict.status).toBe(409);
	expect(conflict.headers.get("x-stub-rows-written")).toBeNull();
});
