import { GraphError } from "../http/graph-error";

const unauthenticated = (message: string) =>
	new GraphError(401, "InvalidAuthenticationToken", message, [], { "WWW-Authenticate": "Bearer" });

/** The bearer token of a Graph request; no, an empty or a non-Bearer `Authorization` is 401. */
export function bearerToken(request: Request): string {
	const header = request.headers.get("Authorization")?.trim();
	if (!header) throw unauthenticated("Access token is empty.");
	const [scheme, token, ...rest] = header.split(/\s+/);
	if (scheme?.toLowerCase() !== "bearer")
		throw unauthenticated("Access token validation failure: the scheme must be Bearer.");
	if (!token) throw unauthenticated("Access token is empty.");
	if (rest.length) throw unauthenticated("Access token validation failure: the token must not contain spaces.");
	return token;
}
