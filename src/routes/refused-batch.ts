import { registryObject } from "../calls/call-object";
import type { RefusedEntry } from "../objects/requests/refused-entry";

// The refused requests of each namespace, gathered per isolate and written to its registry in one RPC a
// moment later (after the answer has left, kept alive by waitUntil): a bot hammering the stub with bad
// requests costs its registry one write per batch, not one per request. A read of the namespace's journal
// (GET /_stub/requests) or its reset (DELETE /_stub/calls) first waits for this isolate's batch, so a test
// that reads right after its bot was refused finds the entry; on a deployment with several isolates, one
// refused in another isolate shows a moment later (docs/contract.md 7.9).

/** How long a batch gathers before it is written. */
const GATHER_MS = 20;
/** A batch this large is written at once; beyond it (a bot far ahead of its registry) the newest are kept. */
const MAX_BATCH = 500;

const gathering = new Map<string, RefusedEntry[]>();
const writing = new Map<string, Promise<void>>();

/** Adds a refused request to its namespace's batch; the batch's write is kept alive by `ctx.waitUntil`. */
export function queueRefused(env: Env, ctx: ExecutionContext, namespace: string, entry: RefusedEntry): void {
	const batch = gathering.get(namespace);
	if (batch) {
		if (batch.length >= MAX_BATCH) batch.shift();
		batch.push(entry);
		return;
	}
	gathering.set(namespace, [entry]);
	const previous = writing.get(namespace) ?? Promise.resolve();
	const write = previous
		.then(() => new Promise((resolve) => setTimeout(resolve, GATHER_MS)))
		.then(async () => {
			const entries = gathering.get(namespace) ?? [];
			gathering.delete(namespace);
			await registryObject(env, namespace).journalRefused(entries);
		})
		.catch((error: unknown) => {
			// The answers stand: a journal that could not be written never turns a 400 into a 500.
			console.error("refused requests could not be journaled", error);
		})
		.finally(() => {
			if (writing.get(namespace) === write) writing.delete(namespace);
		});
	writing.set(namespace, write);
	ctx.waitUntil(write);
}

/** This isolate's refused requests of `namespace` are written (before its journal is read or reset). */
export async function refusedWritten(namespace: string): Promise<void> {
	while (writing.has(namespace)) await writing.get(namespace);
}
