import type { Fault } from "./simulation/fault-decision";

/** What a call's Durable Object answers over RPC: plain data, no thrown errors across the boundary. */

export type StoredOperation = { seq: number; json: string };

export type Missing = "callNotFound" | "operationNotFound" | "conflict";

export type Failure = { ok: false; error: Missing } | { ok: false; error: "fault"; fault: Fault };

/** `delayMs`: latency a fault plan adds before the answer is sent (the write itself is never delayed). */
export type Outcome<T> = ({ ok: true; value: T } | Failure) & { delayMs?: number };

export type Page = { items: StoredOperation[]; hasMore: boolean; count: number | undefined; rowsRead: number };

export type CallSummary = {
	callId: string;
	operationCount: number;
	lastActivity: string;
	/** Only for a call created by POST /calls or started as an incoming call. */
	state?: string;
	direction?: string;
};

/** The call a write belongs to, so its object can register itself with the namespace's registry. */
export type CallRef = { namespace: string; callId: string };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T>(error: Missing): Outcome<T> => ({ ok: false, error });
export const faulted = <T>(fault: Fault, delayMs: number): Outcome<T> => ({
	ok: false,
	error: "fault",
	fault,
	delayMs,
});
