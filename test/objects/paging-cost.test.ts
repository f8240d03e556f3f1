import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { tokenHashNamespace as testerNamespace } from "../../src/auth/token-hash";
import { callObject } from "../../src/calls/call-object";
import { create, uniqueCallId } from "../helpers/graph";

it("reads about one page of rows for a page of 100 out of 10,000, however deep the page", async () => {
	const callId = uniqueCallId();
	await create(callId, { id: "first" });
	const stub = callObject(env, await testerNamespace("tester-token"), callId);
	await runInDurableObject(stub, (_, state) => {
		state.storage.transactionSync(() => {
			for (let i = 2; i <= 10_000; i++)
				state.storage.sql.exec("INSERT INTO operations (id, body) VALUES (?, '{}')", `op-${i}`);
		});
	});

	for (const afterSeq of [0, 5_000, 9_850]) {
		const outcome = await stub.listOperations(afterSeq, 100, false);
		if (!outcome.ok) throw new Error(outcome.error);
		expect(outcome.value.items[0]?.seq).toBe(afterSeq + 1);
		expect(outcome.value.items).toHaveLength(100);
		expect(outcome.value.rowsRead).toBeLessThanOrEqual(101);
	}

	const plan = await runInDurableObject(stub, (_, state) =>
		state.storage.sql
			.exec<{ detail: string }>(
				"EXPLAIN QUERY PLAN SELECT seq, body FROM operations WHERE seq > ? ORDER BY seq LIMIT ?",
				5000,
				101,
			)
			.toArray()
			.map((row) => row.detail),
	);
	expect(plan.join(" ")).toMatch(/SEARCH operations USING INTEGER PRIMARY KEY \(rowid>\?\)/);
});
