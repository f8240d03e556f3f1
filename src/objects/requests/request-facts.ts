import type { Fault } from "../simulation/fault-decision";

/**
 * What the Worker knows of a request the call's object is about to answer, for its request journal:
 * plain data across RPC. The body is already redacted and capped (journal-body.ts); the Authorization
 * header is never among these.
 */
export type RequestFacts = {
	/** The route's name: `createOperation`, `playPrompt`, `answer`, `pressTones` … */
	route: string;
	/** `bot`: Graph's routes (and a recording download); `tester`: a /_stub control. */
	source: "bot" | "tester";
	method: string;
	path: string;
	/** The query string as sent, without the `?` ("" when none). */
	query: string;
	clientRequestId: string;
	body?: CappedBody;
	/** The HTTP status the route answers when the object says yes. */
	okStatus: number;
	/** The operation the request names (a create's id, the path's id), for its error's message. */
	operationId?: string;
};

export type CappedBody = { text: string; cut: boolean };

/** A request on its way through the object: the facts, and what the fault plan decided for it. */
export type PendingRequest = RequestFacts & { fault?: Fault; delayMs?: number; recorded?: boolean };
