import { expect, it } from "vitest";
import type { Corpus, CorpusExample } from "./corpus";
import corpusJson from "./corpus.json";
import { reasonFor } from "./reasons";
import { type Difference, figure, type Result, renderPage } from "./render";
import { compareNotification, replayExchange, settle } from "./replay";

// Replays every documented example (test/conformance/corpus.json) against the Worker and writes what
// matched and what differed, with why, to docs/conformance.md. `npm run conformance` rewrites the page;
// a plain run fails when the committed page is stale or a difference has no reason.

const corpus = corpusJson as Corpus;
const CONCURRENCY = 6;

const explain = (example: CorpusExample, texts: string[]): Difference[] =>
	texts.map((text) => ({ text, reason: reasonFor(example.id, text) }));

/** One exchange and the notifications its page shows after it. */
async function replayOne(example: CorpusExample): Promise<Result[]> {
	const notifications = corpus.examples.filter((n) => n.kind === "notification" && n.follows === example.id);
	try {
		const replayed = await replayExchange(example);
		const sent = await settle(replayed);
		return [
			{ example, differences: explain(example, replayed.differences) },
			...notifications.map((n) => ({ example: n, differences: explain(n, compareNotification(n, sent)) })),
		];
	} catch (error) {
		const failed = explain(example, [`the replay failed: ${(error as Error).message}`]);
		return [example, ...notifications].map((e) => ({ example: e, differences: failed }));
	}
}

async function replayAll(): Promise<Result[]> {
	const exchanges = corpus.examples.filter((e) => e.kind === "exchange");
	const byId = new Map<string, Result>();
	let next = 0;
	const worker = async () => {
		for (let i = next++; i < exchanges.length; i = next++) {
			const exchange = exchanges[i];
			if (exchange) for (const result of await replayOne(exchange)) byId.set(result.example.id, result);
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	// In the corpus's order, whatever order the replays finished in; an orphan notification is listed too.
	return corpus.examples.map(
		(example) =>
			byId.get(example.id) ?? {
				example,
				differences: explain(example, ["no documented request on its page precedes it, so nothing replays it"]),
			},
	);
}

it("replays every documented example; docs/conformance.md is what this run found", { timeout: 60_000 }, async () => {
	const results = await replayAll();
	console.log(`Conformance: ${figure(results)} examples match`);

	const unexplained = results.flatMap((r) =>
		r.differences.filter((d) => !d.reason).map((d) => `${r.example.id}: ${d.text}`),
	);
	expect(
		unexplained,
		"differences without a reason: add a rule to test/conformance/reasons.ts (or fix the stub)",
	).toEqual([]);
	await expect(renderPage(results), "docs/conformance.md is stale: run `npm run conformance`").toMatchFileSnapshot(
		"../../docs/conformance.md",
	);
});
