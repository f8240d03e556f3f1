import { runDurableObjectAlarm } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Outcome } from "../../src/objects/call-results";
import { receiverUrl } from "../simulation/helpers";
import { expireNow, freshCall, newOperation } from "./helpers";

// Random interleavings of everything that reaches one call object: creates, patches, deletes, reads,
// resets, configurations and alarms, sent in concurrent batches. The object applies requests in arrival
// order, so a sequential model of the same requests predicts every answer exactly.

const IDS = ["a", "b", "c"] as const;
type Command =
	| { kind: "create"; id: string; type: string }
	| { kind: "patch"; id: string; status: string }
	| { kind: "delete"; id: string }
	| { kind: "get"; id: string }
	| { kind: "reset" }
	| { kind: "config"; notify: boolean }
	| { kind: "alarm" };

const command: fc.Arbitrary<Command> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant("create" as const),
			id: fc.constantFrom(...IDS),
			type: fc.constantFrom("commsOperation", "playPromptOperation"),
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant("patch" as const),
			id: fc.constantFrom(...IDS),
			status: fc.constantFrom("Running", "completed"),
		}),
	},
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), id: fc.constantFrom(...IDS) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant("get" as const), id: fc.constantFrom(...IDS) }) },
	{ weight: 1, arbitrary: fc.constant({ kind: "reset" as const }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant("config" as const), notify: fc.boolean() }) },
	{ weight: 1, arbitrary: fc.constant({ kind: "alarm" as const }) },
);
/** Batches sent one after the other; the commands of a batch are sent together. `expire` ends a batch with an expiry. */
const scenario = fc.array(
	fc.record({ commands: fc.array(command, { minLength: 1, maxLength: 6 }), expire: fc.boolean() }),
	{
		minLength: 1,
		maxLength: 5,
	},
);

type Model = { ops: Map<string, number>; nextSeq: number; exists: boolean };
const fresh = (): Model => ({ ops: new Map(), nextSeq: 1, exists: false });

/** What the model expects of `c`, applied to `m` in arrival order: a sequence number, "ok", or an error. */
function expect1(m: Model, c: Command): number | string | undefined {
	switch (c.kind) {
		case "create":
			if (m.ops.has(c.id)) return "conflict";
			m.exists = true;
			m.ops.set(c.id, m.nextSeq);
			return m.nextSeq++;
		case "patch":
		case "get":
			return m.ops.get(c.id) ?? (m.exists ? "operationNotFound" : "callNotFound");
		case "delete": {
			const seq = m.ops.get(c.id);
			m.ops.delete(c.id);
			return seq ?? (m.exists ? "operationNotFound" : "callNotFound");
		}
		case "reset":
			Object.assign(m, fresh());
			return undefined;
		default:
			return undefined;
	}
}

const summarise = (outcome: Outcome<{ seq: number } | number>) =>
	outcome.ok ? (typeof outcome.value === "number" ? outcome.value : outcome.value.seq) : outcome.error;

describe("one call object under random interleavings", () => {
	it("answers as the sequential model, loses no acknowledged write and never lets a store error escape", async () => {
		let run = 0;
		await fc.assert(
			fc.asyncProperty(scenario, async (batches) => {
				const { stub } = freshCall(`ns-interleave-${++run}`);
				const model = fresh();
				const config = (notify: boolean) => ({
					...(notify ? { callbackUri: `${receiverUrl()}/hook-interleave-${run}` } : {}),
					progression: {
						default: [
							{ status: "Running" as const, afterMs: 0 },
							{ status: "Completed" as const, afterMs: 1 },
						],
					},
				});
				for (const { commands, expire } of batches) {
					const expected = commands.map((c) => expect1(model, c));
					const answers = await Promise.all(
						commands.map(async (c): Promise<unknown> => {
							switch (c.kind) {
								case "create":
									return summarise(await stub.createOperation(newOperation(c.id, c.type)));
								case "patch": {
									const outcome = await stub.patchOperation(c.id, "beta", { status: c.status });
									return summarise(outcome);
								}
								case "delete":
									return summarise(await stub.deleteOperation(c.id));
								case "get":
									return summarise(await stub.getOperation(c.id));
								case "reset":
									return stub.reset();
								case "config":
									await stub.setConfig(config(c.notify));
									return undefined;
								case "alarm":
									await runDurableObjectAlarm(stub);
									return undefined;
							}
						}),
					);
					expect(answers).toEqual(expected);
					if (expire) {
						await expireNow(stub);
						Object.assign(model, fresh());
					}
				}
				const listed = await stub.listOperations(0, 999, true);
				const expectedList = [...model.ops.entries()].sort((x, y) => x[1] - y[1]);
				if (!model.exists) expect(listed).toMatchObject({ ok: false, error: "callNotFound" });
				else {
					expect(listed.ok).toBe(true);
					if (!listed.ok) return;
					const seqs = listed.value.items.map((item) => item.seq);
					expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
					expect(listed.value.items.map((item) => [JSON.parse(item.json).id, item.seq])).toEqual(expectedList);
					expect(listed.value.count).toBe(expectedList.length);
				}
			}),
			// On failure fast-check prints `{ seed, path }`: add both here to replay that exact case.
			{ numRuns: 40 },
		);
	}, 60_000); // 40 runs of up to 30 requests each: seconds, more on a busy machine
});
