import { GraphError } from "../http/graph-error";

/** 401 as Graph answers it: `InvalidAuthenticationToken`, with a reason and `WWW-Authenticate: Bearer`. */
export const unauthenticated = (reason: string) =>
	new GraphError(401, "InvalidAuthenticationToken", `Access token validation failure: ${reason}.`, [], {
		"WWW-Authenticate": "Bearer",
	});
