import { exports } from "cloudflare:workers";

export const ORIGIN = "https://stub.test";

let counter = 0;
/** A callId no other test in the file uses (storage is isolated per file, not per test). */
export const uniqueCallId = (label = "call") => `${label}-${++counter}-${crypto.randomUUID().slice(0, 8)}`;

export const operationsUrl = (callId: string, version = "beta") =>
	`${ORIGIN}/${version}/communications/calls/${encodeURIComponent(callId)}/operations`;

export type CallOptions = { token?: string | null; headers?: Record<string, string> };

function headersFor({ token = "tester-token", headers = {} }: CallOptions, json: boolean) {
	return {
		...(token === null ? {} : { Authorization: `Bearer ${token}` }),
		...(json ? { "Content-Type": "application/json" } : {}),
		...headers,
	};
}

/** Sends a request through the Worker's real fetch handler. */
export function send(method: string, url: string, body?: unknown, options: CallOptions = {}) {
	const raw = typeof body === "string" || body === undefined ? body : JSON.stringify(body);
	return exports.default.fetch(url, { method, headers: headersFor(options, body !== undefined), body: raw });
}

export const create = (callId: string, body: unknown = {}, options: CallOptions = {}, version = "beta") =>
	send("POST", operationsUrl(callId, version), body, options);

/** The JSON body of a response, typed loosely for assertions. */
export const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

export type GraphErrorBody = {
	error: {
		code: string;
		message: string;
		details?: { code: string; message: string; target: string }[];
		innerError: Record<string, string>;
	};
};

export const errorOf = async (response: Response) => (await response.json()) as GraphErrorBody;
