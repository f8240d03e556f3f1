import { GraphError } from "../http/graph-error";
import type { StubRequest } from "../http/stub-request";

/** A known path asked with a method it does not have: 405 with `Allow`. */
export const methodNotAllowed =
	(...allowed: string[]) =>
	(request: StubRequest) => {
		throw new GraphError(
			405,
			"MethodNotAllowed",
			`The method '${request.method}' is not allowed on this resource.`,
			[],
			{
				Allow: allowed.join(", "),
			},
		);
	};

/** No route matched: Graph's wording, naming the last segment. */
export function notFound(request: StubRequest): never {
	const segments = request.meta.path.split("/").filter(Boolean);
	const segment = segments.at(-1) ?? "";
	throw new GraphError(404, "NotFound", `Resource not found for the segment '${safeDecode(segment)}'.`);
}

function safeDecode(segment: string) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
