import type { Decided } from "./journal-answer";
import type { RequestFacts } from "./request-facts";

/** A request the Worker refused before any call saw it, as the namespace's registry keeps it: when, and the answer. */
export type RefusedEntry = { facts: RequestFacts; answered: Decided; at: string };
