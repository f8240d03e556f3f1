import type { ErrorDetail } from "../http/graph-error";
import type { Fault } from "./simulation/fault-decision";

/** What a call's Durable Object answers over RPC: plain data, no thrown errors across the boundary. */

export type StoredOperation = { seq: number; json: string };

export type Missing = "callNotFound" | "operationNotFound" | "conflict";

/**
 * Why a request did not succeed: nothing to find or a duplicate (`Missing`), a fault the tester's plan
 * injected, a body the object refused (a PATCH is validated inside the write, against the operation
 * as stored then), or an unexpected error in one write, which failed alone (the rest of its batch applied).
 */
export type Failure =
	| { ok: false; error: Missing }
	| { ok: false; error: "fault"; fault: Fault }
	| { ok: false; error: "invalid"; message: string; details: ErrorDetail[] }
	| { ok: false; error: "unexpected" };

/**
 * `delayMs`: latency a fault plan adds before the answer is sent (the write itself is never delayed).
 * `rowsWritten`: the SQL rows a write wrote (indexes included), for the x-stub-rows-written header.
 */
export type Outcome<T> = ({ ok: true; value: T } | Failure) & { delayMs?: number; rowsWritten?: number };

export type Page = { items: StoredOperation[]; hasMore: boolean; count: number | undefined; rowsRead: number };

export type CallSummary = {
	callId: string;
	operationCount: number;
	lastActivity: string;
	/** Only for a call created by POST /calls or started as an incoming call. */
	state?: string;
	direction?: string;
};

/** A call of a tester namespace; a call object knows its own from its name. */
export type CallRef = { namespace: string; callId: string };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T>(error: Missing): Outcome<T> => ({ ok: false, error });
export const faulted = <T>(fault: Fault, delayMs: number): Outcome<T> => ({
	ok: false,
	error: "fault",
	fault,
	delayMs,
});
