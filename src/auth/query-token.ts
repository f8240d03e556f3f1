import { unauthenticated } from "./unauthenticated";

/** What a bearer token may hold: visible ASCII, no spaces or control characters (RFC 6750 is stricter). */
const BEARER_CHARACTERS = /^[\x21-\x7e]+$/;

/**
 * The Authorization header an `access_token` query parameter stands for. The query is decoded text, so it
 * can hold what no header could (a line break, NUL, non-ASCII): such a token is 401 like any bad token.
 */
export function queryTokenAuthorization(token: string): string {
	if (!BEARER_CHARACTERS.test(token))
		throw unauthenticated("the token must be printable ASCII without spaces or control characters");
	return `Bearer ${token}`;
}
