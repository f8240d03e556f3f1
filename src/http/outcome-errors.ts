import type { CallRefusal } from "../objects/call/call-outcome";
import type { Failure } from "../objects/call-results";
import { badRequest, callNotFound, GraphError, injectedFault, operationNotFound } from "./graph-error";

// The Graph error each refusal of a call's object stands for: thrown by the Worker's handlers, and
// recorded as the answer in the call's request journal (the same status, code and message).

/** An operation request's failure (src/objects/call-results.ts). */
export function failureError(failure: Failure, operationId = ""): GraphError {
	switch (failure.error) {
		case "fault":
			return injectedFault(failure.fault);
		case "callNotFound":
			return callNotFound();
		case "operationNotFound":
			return operationNotFound(operationId);
		case "conflict":
			return new GraphError(409, "Conflict", `An operation with id '${operationId}' already exists in this call.`);
		case "invalid":
			return badRequest(failure.message, failure.details);
		case "unexpected":
			return new GraphError(500, "UnknownError", "An unexpected error occurred.");
		default:
			return unreachable(failure);
	}
}

/** A request on the call itself, refused (src/objects/call/call-outcome.ts). */
export function refusalError(refusal: CallRefusal): GraphError {
	switch (refusal.error) {
		case "callNotFound":
			return callNotFound();
		case "wrongState":
			return badRequest(refusal.message);
		case "noCallbackUri":
			return badRequest(
				"No callbackUri: give one in the request body, or configure the namespace's with PUT /_stub/config.",
			);
		case "participantNotFound":
			return new GraphError(404, "itemNotFound", "Participant not found.");
		case "conflict":
			return new GraphError(409, "Conflict", "A call with this id already exists.");
		default:
			return unreachable(refusal);
	}
}

function unreachable(outcome: never): never {
	throw new Error(`unknown outcome ${JSON.stringify(outcome)}`);
}
