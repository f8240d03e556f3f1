/** The requests handed to a call's object: its own journal keeps them, answered or refused. */
const handed = new WeakSet<Request>();

/** Marks a request as one a call's object journals (src/calls/request-facts.ts marks every such request). */
export const handToCall = (request: Request) => void handed.add(request);

/** Whether a call's object saw the request (so the namespace's refused journal must not keep it too). */
export const handedToCall = (request: Request) => handed.has(request);
