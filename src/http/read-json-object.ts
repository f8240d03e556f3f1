import { MAX_JSON_DEPTH, tooDeepKeys } from "../schema/json-depth";
import { fieldIssue, invalid } from "../schema/validation-error";
import { badRequest, GraphError, PAYLOAD_UNREADABLE } from "./graph-error";

const tooLarge = (limit: number) =>
	new GraphError(413, "RequestEntityTooLarge", `The request body exceeds the limit of ${limit} bytes.`);

/** One decoder for every body: `decode` without `stream` keeps no state between calls. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Each read body's text, for the request journal (src/calls/request-facts.ts); gone with its request. */
const bodyTexts = new WeakMap<Request, string>();
export const sentBodyText = (request: Request): string | undefined => bodyTexts.get(request);

const BODY_CUT_SHORT =
	"Unable to read the request body: it ended before its declared length, or its chunked framing is invalid.";

/**
 * Reads a JSON object body of at most `limit` bytes. A declared Content-Length over the limit is refused
 * before reading; an undeclared one is read only until it passes the limit.
 */
export async function readJsonObject(request: Request, limit: number): Promise<Record<string, unknown>> {
	const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase();
	if (type !== "application/json") throw badRequest(PAYLOAD_UNREADABLE);
	const declared = request.headers.get("Content-Length");
	if (Number(declared ?? 0) > limit) throw tooLarge(limit);
	const bytes = await readBytes(request, declared, limit);
	let parsed: unknown;
	try {
		const text = utf8.decode(bytes);
		bodyTexts.set(request, text);
		parsed = JSON.parse(text);
	} catch {
		throw badRequest(PAYLOAD_UNREADABLE);
	}
	if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw badRequest(PAYLOAD_UNREADABLE);
	const body = parsed as Record<string, unknown>;
	// Checked once, here, on every write path: nothing after this (valibot, structured clone to the
	// Durable Object, JSON.stringify) ever sees a value deep enough to overflow a recursive walk.
	const deep = tooDeepKeys(body);
	if (deep.length)
		throw invalid(
			"request body",
			deep.map((key) => fieldIssue(key, `nests deeper than ${MAX_JSON_DEPTH} levels`)),
		);
	return body;
}

/**
 * A declared length is enforced by the runtime, so such a body is read in one go; only an undeclared
 * (chunked) one needs counting as it streams. A body that ends before its declared length, or whose
 * chunked framing is broken, makes the stream error: that is the client's fault, a 400.
 */
/** A raw body of at most `limit` bytes (a declared length over it refused before reading): 413 otherwise. */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
	const declared = request.headers.get("Content-Length");
	if (Number(declared ?? 0) > limit) throw tooLarge(limit);
	return readBytes(request, declared, limit);
}

async function readBytes(request: Request, declared: string | null, limit: number): Promise<Uint8Array> {
	try {
		return declared === null ? await readCapped(request.body, limit) : new Uint8Array(await request.arrayBuffer());
	} catch (error) {
		if (error instanceof GraphError) throw error;
		throw badRequest(BODY_CUT_SHORT);
	}
}

async function readCapped(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
	if (!body) return new Uint8Array();
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = body.getReader();
	for (let read = await reader.read(); !read.done; read = await reader.read()) {
		size += read.value.byteLength;
		if (size > limit) {
			await reader.cancel();
			throw tooLarge(limit);
		}
		chunks.push(read.value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}
