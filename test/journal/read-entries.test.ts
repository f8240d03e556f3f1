import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import { create, operationsUrl, send, uniqueCallId } from "../helpers/graph";
import { allPages, requestsUrl } from "./helpers";

// A read's journal entry is written with those of the other requests of the same moment, on the call
// object's next turn (src/objects/requests/call-requests.ts, loggedLater; RequestJournal.later): in arrival
// order with every write, and durable before the read is answered (docs/contract.md 7.9, "When an entry is
// kept"). test/journal/read-entries-together.test.ts pins the waiting itself.

describe("a read's journal entry", () => {
	it("keeps arrival order with the writes around it: each count read follows exactly the creates it saw", async () => {
		const token = uniqueCallId("journal-reads");
		const callId = uniqueCallId();
		expect((await create(callId, { id: "op-0" }, { token })).status).toBe(201);
		// Creates and $count reads sent all at once: whatever order they arrive in, a count read's entry must
		// sit after exactly as many createOperation entries as the count it answered.
		const answers = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				i % 2 === 0
					? create(callId, { id: `op-${i + 1}` }, { token }).then((r) => ({ route: "create", status: r.status }))
					: send("GET", `${operationsUrl(callId)}/$count`, undefined, { token }).then(async (r) => ({
							route: "count",
							status: r.status,
							count: Number(await r.text()),
						})),
			),
		);
		expect(answers.every((a) => a.status === 201 || a.status === 200)).toBe(true);
		const entries = (await allPages(token, requestsUrl(callId, "$top=100"))).reverse(); // oldest first
		expect(entries).toHaveLength(41);
		expect(entries.map((e) => e.sequence)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
		let createsBefore = 0;
		const seenByCountReads: number[] = [];
		const expected: number[] = [];
		for (const entry of entries) {
			if (entry.route === "createOperation") createsBefore++;
			else {
				expect(entry.route).toBe("countOperations");
				expected.push(createsBefore);
				seenByCountReads.push(Number(entry.responseBody));
			}
		}
		expect(seenByCountReads).toEqual(expected);
		// …and each answer the bot got is one of those entries.
		const counts = answers.flatMap((a) => ("count" in a ? [Number(a.count)] : [])).sort((x, y) => x - y);
		expect(counts).toEqual([...seenByCountReads].sort((x, y) => x - y));
	});

	it("is stored by the time anyone reads the journal, and survives a restart of the object", async () => {
		const token = uniqueCallId("journal-read-kept");
		const callId = uniqueCallId();
		expect((await create(callId, { id: "op-1" }, { token })).status).toBe(201);
		expect((await send("GET", `${operationsUrl(callId)}/op-1`, undefined, { token })).status).toBe(200);
		const seen = await allPages(token, requestsUrl(callId));
		expect(seen.map((e) => e.route)).toEqual(["getOperation", "createOperation"]);
		const stub = callObject(env, await tokenHashNamespace(token), callId);
		await runInDurableObject(stub, async (_, state) => {
			const rows = state.storage.sql
				.exec<{ route: string }>("SELECT route FROM request_journal ORDER BY seq")
				.toArray();
			expect(rows.map((r) => r.route)).toEqual(["createOperation", "getOperation"]);
		});
	});
});
