// The conformance corpus's shape (test/conformance/corpus.json, written by scripts/conformance/extract.ts).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type CorpusExample = {
	id: string;
	version: string;
	page: string;
	repo: string;
	commit: string;
	heading: string;
	kind: "exchange" | "notification";
	/** exchange: the documented request and its response. */
	request?: { method: string; path: string; headers: Record<string, string>; body?: Json };
	response?: {
		status: number;
		headers: Record<string, string>;
		body?: Json;
		annotatedType?: string;
		truncated: boolean;
	};
	/** notification: the documented POST to the bot, and the exchange it follows on the page. */
	notification?: Json;
	follows?: string;
	notes: string[];
};
export type Corpus = { about: string; examples: CorpusExample[] };
