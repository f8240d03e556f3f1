export type ErrorDetail = { code: string; message: string; target: string };

/** V8's Error, with the setting that bounds the stack trace an Error captures. */
const V8Error = Error as ErrorConstructor & { stackTraceLimit: number };

/** Every failure a handler reports; the router's one `catch` turns it into Graph's error envelope. */
export class GraphError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details: ErrorDetail[] = [],
		readonly headers: Record<string, string> = {},
	) {
		// An expected answer, not a fault: no stack trace (capturing one cost ~15 µs per refused request).
		const limit = V8Error.stackTraceLimit;
		V8Error.stackTraceLimit = 0;
		super(message);
		V8Error.stackTraceLimit = limit;
	}
}

export const PAYLOAD_UNREADABLE =
	"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.";

export const badRequest = (message: string, details: ErrorDetail[] = []) =>
	new GraphError(400, "BadRequest", message, details);

export const callNotFound = () => new GraphError(404, "8522", "Call not found.");

export const operationNotFound = (id: string) =>
	new GraphError(404, "itemNotFound", `The operation '${id}' was not found in this call.`);

/** A fault the tester's plan injected: Graph's throttling, unavailability or internal error. */
export function injectedFault(fault: { status: 429 | 500 | 503; retryAfterSeconds: number | undefined }) {
	const retryAfter: Record<string, string> =
		fault.retryAfterSeconds === undefined ? {} : { "Retry-After": String(fault.retryAfterSeconds) };
	if (fault.status === 429)
		return new GraphError(
			429,
			"TooManyRequests",
			"Too many requests; retry after the Retry-After interval.",
			[],
			retryAfter,
		);
	if (fault.status === 503)
		return new GraphError(
			503,
			"ServiceUnavailable",
			"The service is temporarily unavailable; retry later.",
			[],
			retryAfter,
		);
	return new GraphError(500, "UnknownError", "An unexpected error occurred.");
}
