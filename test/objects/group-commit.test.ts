import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callObject } from "../../src/calls/call-object";
import { GroupCommit } from "../../src/objects/operations/group-commit";
import { serialiseProperties } from "../../src/objects/operations/operation-document";
import { uniqueCallId } from "../helpers/graph";

describe("GroupCommit", () => {
	it("applies writes submitted in one turn as one batch, in submission order", async () => {
		const batches: number[][] = [];
		const commit = new GroupCommit<number, string>((writes) => {
			batches.push(writes);
			return writes.map((w) => `done ${w}`);
		});
		const results = await Promise.all([1, 2, 3].map((w) => commit.submit(w)));
		expect(results).toEqual(["done 1", "done 2", "done 3"]);
		expect(batches).toEqual([[1, 2, 3]]);
		expect(await commit.submit(4)).toBe("done 4");
		expect(batches).toEqual([[1, 2, 3], [4]]);
	});

	it("rejects every write of a batch whose transaction failed, and goes on with the next", async () => {
		let fail = true;
		const commit = new GroupCommit<number, number>((writes) => {
			if (fail) throw new Error("disk full");
			return writes;
		});
		const outcomes = await Promise.allSettled([commit.submit(1), commit.submit(2)]);
		expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
		fail = false;
		expect(await commit.submit(3)).toBe(3);
	});

	it("gathers the writes submitted while its window is open into one batch, and flushes when it closes", async () => {
		const batches: number[][] = [];
		let close = () => {};
		const commit = new GroupCommit<number, number>(
			(writes) => {
				batches.push(writes);
				return writes;
			},
			() => new Promise<void>((resolve) => (close = resolve)),
		);
		const first = commit.submit(1);
		await Promise.resolve();
		const second = commit.submit(2);
		await new Promise((resolve) => setTimeout(resolve, 5));
		expect(batches).toEqual([]); // still open: nothing applied yet
		close();
		expect(await Promise.all([first, second])).toEqual([1, 2]);
		expect(batches).toEqual([[1, 2]]);
	});

	it("flushes even when its window fails, so no write waits forever", async () => {
		const commit = new GroupCommit<number, number>(
			(writes) => writes,
			() => Promise.reject(new Error("storage broke")),
		);
		expect(await commit.submit(5)).toBe(5);
	});

	it("flushes when its window throws at once, and tells no writer of a failure for a write it then stores", async () => {
		const applied: number[][] = [];
		let throwing = true;
		const commit = new GroupCommit<number, number>(
			(writes) => {
				applied.push(writes);
				return writes;
			},
			() => {
				if (throwing) throw new Error("sync threw");
				return Promise.resolve();
			},
		);
		expect(await commit.submit(1)).toBe(1);
		throwing = false;
		expect(await commit.submit(2)).toBe(2);
		expect(applied).toEqual([[1], [2]]);
	});

	it("flushes at once on demand", async () => {
		const seen: number[] = [];
		const commit = new GroupCommit<number, number>((writes) => {
			seen.push(...writes);
			return writes;
		});
		const pending = commit.submit(7);
		commit.flush();
		expect(seen).toEqual([7]);
		expect(await pending).toBe(7);
	});
});

describe("writes to one call through its group commit", () => {
	const op = (id: string) => ({
		typeName: "commsOperation",
		id,
		propertiesJson: serialiseProperties([["status", "Running"]]),
	});

	it("keeps create → patch → delete → create of one id in arrival order even within one batch", async () => {
		const callId = uniqueCallId();
		const stub = callObject(env, "ns-group", callId);
		const [created, patched, deleted, again] = await Promise.all([
			stub.createOperation(op("x")),
			stub.patchOperation("x", "beta", { status: "Completed" }),
			stub.deleteOperation("x"),
			stub.createOperation(op("x")),
		]);
		expect(created).toMatchObject({ ok: true, value: { seq: 1 } });
		expect(patched.ok && JSON.parse(patched.value.json).status).toBe("Completed");
		expect(deleted).toEqual({ ok: true, value: 1 });
		expect(again).toMatchObject({ ok: true, value: { seq: 2 } });
	});

	it("applies a write that arrived before a reset before the reset, so it does not survive it", async () => {
		const callId = uniqueCallId();
		const stub = callObject(env, "ns-group", callId);
		const [created] = await Promise.all([stub.createOperation(op("early")), stub.reset()]);
		expect(created.ok).toBe(true);
		expect(await stub.getOperation("early")).toEqual({ ok: false, error: "callNotFound" });
	});
});
