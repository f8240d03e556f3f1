import type { CallWrite } from "../operations/operation-store";
import type { Answered } from "./journal-answer";
import type { PendingRequest } from "./request-facts";

/**
 * What waits in the call's group commit: an operation write, with the request to journal in the same
 * savepoint; or a read's journal entry alone (it rides in the next batch instead of a commit of its own).
 */
export type QueuedWrite = (CallWrite & { pending?: PendingRequest }) | ReadEntry;

/** A read's journal entry: the request, how it was answered, and when. */
export type ReadEntry = { kind: "journal"; pending: PendingRequest; answered: Answered; at: string };
