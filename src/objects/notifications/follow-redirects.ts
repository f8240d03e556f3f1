import type { OutboxRow } from "./outbox";
import { answerFailure, NEVER_FOLLOW, shownLocation } from "./redirect-refusal";

/**
 * The one exception to "never follow a redirect": a bot may answer an incoming call's notification with
 * 307/308 + Location to route the call to the instance that should take it (Microsoft's samples do).
 * Each hop's target is held to the callback rules again, as if it were the callbackUri; 301/302/303
 * (which turn a POST into a GET), a loop, a 4th hop, or a refused target is a failed attempt, and the
 * refused target is never asked.
 */
export const MAX_HOPS = 3;

/** Those that keep the method and the body. */
const FOLLOWED = new Set([307, 308]);

export type Hop = { status: number; location: string };
export type Answer = { status: number | null; error: string | null; hops: Hop[] };

/** Only the `created` notification of an incoming call (the one call notification that is `created`) follows. */
export const followsRedirects = (row: OutboxRow) =>
	row.change_type === "created" && row.resource_url?.startsWith("/communications/calls/") === true;

const resolved = (location: string, base: string) => {
	try {
		return new URL(location, base).href;
	} catch {
		return undefined;
	}
};

/**
 * POSTs `init` to `url`; with `refusal` (the callback rules), follows 307/308 as described above,
 * re-sending the same request to each hop. Every redirect answer met is one of the `hops`.
 */
export async function postFollowing(
	url: string,
	init: RequestInit,
	refusal: ((uri: string) => string | undefined) | undefined,
): Promise<Answer> {
	const hops: Hop[] = [];
	const visited = new Set([url]);
	let target = url;
	for (;;) {
		const response = await fetch(target, { ...init, redirect: NEVER_FOLLOW });
		await response.body?.cancel();
		const location = response.headers.get("Location");
		const redirect = response.status >= 300 && response.status < 400 && location !== null;
		if (!refusal || !redirect) return { status: response.status, error: answerFailure(response), hops };
		const next = resolved(location, target);
		hops.push({ status: response.status, location: shownLocation(next ?? location) });
		const why = notFollowed(response.status, next, visited, hops.length, refusal);
		if (why || next === undefined)
			return { status: response.status, error: `${answerFailure(response)}: ${why}`, hops };
		visited.add(next);
		target = next;
	}
}

/** Why a redirect is not followed (undefined: it is), checked in this order; the host rule asked once. */
function notFollowed(
	status: number,
	next: string | undefined,
	visited: Set<string>,
	hops: number,
	refusal: (url: string) => string | undefined,
): string | undefined {
	if (!FOLLOWED.has(status)) return "only 307 and 308 are followed";
	if (next === undefined) return "the Location is not a URL";
	if (visited.has(next)) return "a redirect loop";
	if (hops > MAX_HOPS) return `more than ${MAX_HOPS} redirects`;
	const refused = refusal(next);
	return refused ? `the Location ${refused}` : undefined;
}
