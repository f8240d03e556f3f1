/**
 * A notification POST never follows a redirect: the callback rules (CALLBACK_HOSTS, https only, no
 * loopback when deployed) are checked on the callbackUri, and a redirect would carry the notification to
 * a host they never saw. Graph does not follow a bot's redirects either (*inferred*).
 */
export const NEVER_FOLLOW = "manual" satisfies RequestInit["redirect"];

/** The Location shown in the journal is cut here: the journal's rows stay bounded. */
const LOCATION_SHOWN = 512;

export const shownLocation = (location: string) =>
	location.length > LOCATION_SHOWN ? `${location.slice(0, LOCATION_SHOWN)}…` : location;

/** Why an answer does not acknowledge the notification (a 3xx names where it pointed), or null for a 2xx. */
export function answerFailure(response: Response): string | null {
	if (response.ok) return null;
	if (response.status < 300 || response.status >= 400) return `HTTP ${response.status}`;
	const location = response.headers.get("Location");
	if (location === null) return `HTTP ${response.status} redirect not followed`;
	return `HTTP ${response.status} redirect to ${shownLocation(location)} not followed`;
}
