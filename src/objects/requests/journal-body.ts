import type { CappedBody } from "./request-facts";

/** The most of each body (request and response) a journal entry keeps, in UTF-8 bytes. */
export const JOURNAL_BODY_BYTES = 16_384;
export const REDACTED = "[redacted]";

const SECRET_KEY = /^callbacktoken$/i;
const MENTIONS_SECRET = /callbacktoken/i;
// For text that is not JSON: the value after any "callbackToken": key.
const SECRET_IN_TEXT = /("callbackToken"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function redactValue(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(redactValue);
	if (value === null || typeof value !== "object") return value;
	const out: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(inner);
	return out;
}

/** `text` with every callbackToken value replaced; untouched (no parse) when it names none. */
export function redactText(text: string): string {
	if (!MENTIONS_SECRET.test(text)) return text;
	try {
		return JSON.stringify(redactValue(JSON.parse(text)));
	} catch {
		return text.replace(SECRET_IN_TEXT, `$1"${REDACTED}"`);
	}
}

/** At most JOURNAL_BODY_BYTES of `text` (cut on a character boundary), and whether it was cut. */
export function capText(text: string): CappedBody {
	// Each UTF-16 unit is at most 3 UTF-8 bytes: short text needs no encoding to know it fits.
	if (text.length * 3 <= JOURNAL_BODY_BYTES) return { text, cut: false };
	const bytes = encoder.encode(text);
	if (bytes.byteLength <= JOURNAL_BODY_BYTES) return { text, cut: false };
	const kept = decoder.decode(bytes.subarray(0, JOURNAL_BODY_BYTES)).replace(/\uFFFD$/, "");
	return { text: kept, cut: true };
}

/** A body as the journal keeps it: secrets redacted first, then capped. */
export const journalBody = (text: string): CappedBody => capText(redactText(text));

/** A query's `access_token` (the live sockets' token, which some clients also put on other URLs) is never kept. */
const TOKEN_IN_QUERY = /(^|&)(access_token=)[^&]*/gi;

/** The query string as sent, but with every `access_token` value replaced. */
export const redactQuery = (query: string): string =>
	query.replace(TOKEN_IN_QUERY, `$1$2${encodeURIComponent(REDACTED)}`);
