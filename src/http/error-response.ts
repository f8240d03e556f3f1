import { GraphError } from "./graph-error";
import type { StubRequest } from "./stub-request";

/** `2026-11-29T14:00:00`: UTC, no zone, no fraction, as Graph's innerError has it. */
const innerErrorDate = () => new Date().toISOString().slice(0, 19);

/** The router's single `catch`: anything thrown becomes Graph's error envelope; internals stay in the log. */
export function toErrorResponse(thrown: unknown, request: StubRequest): Response {
	const error =
		thrown instanceof GraphError ? thrown : new GraphError(500, "UnknownError", "An unexpected error occurred.");
	if (!(thrown instanceof GraphError)) console.error("unexpected error", request.method, request.url, thrown);
	const body = {
		error: {
			code: error.code,
			message: error.message,
			...(error.details.length ? { details: error.details } : {}),
			innerError: {
				date: innerErrorDate(),
				"request-id": request.meta?.requestId,
				"client-request-id": request.meta?.clientRequestId,
			},
		},
	};
	return new Response(JSON.stringify(body), {
		status: error.status,
		headers: { "Content-Type": "application/json", ...error.headers },
	});
}
