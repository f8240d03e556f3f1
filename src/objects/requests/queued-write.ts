import type { CallWrite } from "../operations/operation-store";
import type { PendingRequest } from "./request-facts";

/** An operation write in the group commit, with the request to journal in the same savepoint. */
export type QueuedWrite = CallWrite & { pending?: PendingRequest };
