import { describe, expect, it } from "vitest";
import { errorOf, ORIGIN, send, uniqueCallId } from "../helpers/graph";

// Every list in a configuration has a maximum length, so a configuration stays small however it is written.
const put = (config: unknown) => send("PUT", `${ORIGIN}/_stub/calls/${uniqueCallId("bounds")}/config`, config);

describe("configuration bounds", () => {
	it("takes at most 100 counts in a fault rule's nth", async () => {
		const nth = (n: number) => ({
			faults: { rules: [{ nth: Array.from({ length: n }, (_, i) => i + 1), status: 503 }] },
		});
		expect((await put(nth(100))).status).toBe(200);
		const refused = await put(nth(101));
		expect(refused.status).toBe(400);
		expect((await errorOf(refused)).error.message).toContain("at most 100 counts");
	});

	it("takes scripts for at most 50 operation types", async () => {
		const byType = (n: number) => ({
			progression: {
				byType: Object.fromEntries(
					Array.from({ length: n }, (_, i) => [`#microsoft.graph.type${i}`, [{ status: "Running", afterMs: 1 }]]),
				),
			},
		});
		expect((await put(byType(50))).status).toBe(200);
		const refused = await put(byType(51));
		expect(refused.status).toBe(400);
		expect((await errorOf(refused)).error.message).toContain("at most 50 operation types");
	});
});
