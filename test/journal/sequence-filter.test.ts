import { describe, expect, it } from "vitest";
import { errorOf, operationsUrl, send } from "../helpers/graph";
import { journalPage, requestsUrl } from "./helpers";

// GET …/requests?sequence=N: one entry by its number, with both bodies (what the live page opens on click).

describe("the journal's sequence filter", () => {
	it("answers exactly the entry with that number, with both bodies", async () => {
		const token = `seq-${crypto.randomUUID()}`;
		const callId = "seq-call";
		const hostile = '<img src=x onerror="window.pwned=1">';
		expect((await send("POST", operationsUrl(callId), { clientContext: "first" }, { token })).status).toBe(201);
		expect((await send("POST", operationsUrl(callId), { clientContext: hostile }, { token })).status).toBe(201);
		const page = await journalPage(token, callId, "sequence=1");
		expect(page.value.map((entry) => entry.sequence)).toEqual([1]);
		expect(page.value[0]?.requestBody).toMatchObject({ clientContext: "first" });
		expect(page.value[0]?.responseBody).toMatchObject({ clientContext: "first" });
		const second = await journalPage(token, callId, "sequence=2");
		expect(second.value.map((entry) => entry.sequence)).toEqual([2]);
		expect(second.value[0]?.requestBody).toEqual({ clientContext: hostile });
		expect(second.value[0]?.responseBody).toMatchObject({ clientContext: hostile, status: "NotStarted" });
		expect((await journalPage(token, callId, "sequence=99")).value).toEqual([]);
	});

	it("refuses a sequence that is not a positive integer, naming it", async () => {
		for (const value of ["0", "-1", "1.5", "abc", "1e3", ""]) {
			const response = await send("GET", requestsUrl("any", `sequence=${value}`), undefined, { token: "seq-bad" });
			expect([value, response.status]).toEqual([value, 400]);
			expect(JSON.stringify((await errorOf(response)).error)).toContain("sequence");
		}
	});
});
