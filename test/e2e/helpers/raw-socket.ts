import { connect } from "node:net";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/** `body` is decoded (chunks joined, Content-Encoding undone, UTF-8); `raw` is the bytes as latin1. */
export type RawResponse = { status: number; headers: Record<string, string>; body: string; raw: string };

const DECODERS: Record<string, (bytes: Buffer) => Buffer> = {
	gzip: gunzipSync,
	br: brotliDecompressSync,
	deflate: inflateSync,
};

/** Decodes a chunked body; what cannot be decoded is returned as it came. */
function dechunk(text: string): string {
	let out = "";
	let rest = text;
	for (;;) {
		const end = rest.indexOf("\r\n");
		const size = Number.parseInt(rest.slice(0, end), 16);
		if (end < 0 || Number.isNaN(size)) return out || text;
		if (size === 0) return out;
		out += rest.slice(end + 2, end + 2 + size);
		rest = rest.slice(end + 2 + size + 2);
	}
}

/** Parses the first final HTTP/1.1 response in `raw`, past any 1xx (status 0 when nothing parseable came back). */
export function parseResponse(sent: string): RawResponse {
	let raw = sent;
	while (/^HTTP\/1\.[01] 1\d\d /.test(raw) && raw.includes("\r\n\r\n")) raw = raw.slice(raw.indexOf("\r\n\r\n") + 4);
	const split = raw.indexOf("\r\n\r\n");
	const head = split < 0 ? raw : raw.slice(0, split);
	const [statusLine = "", ...lines] = head.split("\r\n");
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(":");
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	let body = split < 0 ? "" : raw.slice(split + 4);
	if (headers["transfer-encoding"]?.toLowerCase().includes("chunked")) body = dechunk(body);
	else if (headers["content-length"] !== undefined) body = body.slice(0, Number(headers["content-length"]));
	let bytes: Buffer = Buffer.from(body, "latin1");
	const decode = DECODERS[headers["content-encoding"]?.toLowerCase() ?? ""];
	if (decode && bytes.length) bytes = decode(bytes);
	body = bytes.toString("utf8");
	const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
	return { status, headers, body, raw: sent };
}

/**
 * Writes `request` byte for byte (latin1) to a fresh loopback connection, then half-closes it, so a
 * body cut short ends there; resolves with everything the server sent before it closed (or after
 * `timeoutMs`, when the socket is destroyed).
 */
export function sendRaw(port: number, request: string | Uint8Array, timeoutMs = 10_000): Promise<RawResponse> {
	return new Promise((resolve) => {
		const socket = connect(port, "127.0.0.1");
		const chunks: Buffer[] = [];
		const done = () => {
			clearTimeout(timer);
			resolve(parseResponse(Buffer.concat(chunks).toString("latin1")));
		};
		const timer = setTimeout(() => socket.destroy(), timeoutMs);
		socket.on("data", (chunk) => chunks.push(chunk));
		socket.on("close", done);
		socket.on("error", () => undefined);
		socket.end(typeof request === "string" ? Buffer.from(request, "latin1") : request);
	});
}
