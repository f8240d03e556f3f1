/** What the call's object answers to a request on the call itself: plain data across RPC. */
export type CallRefusal =
	| { ok: false; error: "callNotFound" }
	| { ok: false; error: "conflict" }
	| { ok: false; error: "noCallbackUri" }
	| { ok: false; error: "participantNotFound" }
	| { ok: false; error: "wrongState"; message: string };

export type CallOutcome<T> = { ok: true; value: T } | CallRefusal;

export const done = <T>(value: T): CallOutcome<T> => ({ ok: true, value });
export const refused = <T>(
	error: "callNotFound" | "conflict" | "noCallbackUri" | "participantNotFound",
): CallOutcome<T> => ({
	ok: false,
	error,
});
export const wrongState = <T>(message: string): CallOutcome<T> => ({ ok: false, error: "wrongState", message });
