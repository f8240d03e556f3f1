import { badRequest, callNotFound, GraphError } from "../../http/graph-error";
import type { CallOutcome } from "../../objects/call/call-outcome";

/** The value of the call object's answer, or the Graph error its refusal stands for. */
export function callAnswer<T>(outcome: CallOutcome<T>): T {
	if (outcome.ok) return outcome.value;
	switch (outcome.error) {
		case "callNotFound":
			throw callNotFound();
		case "wrongState":
			throw badRequest(outcome.message);
		case "noCallbackUri":
			throw badRequest(
				"No callbackUri: give one in the request body, or configure the namespace's with PUT /_stub/config.",
			);
		case "participantNotFound":
			throw new GraphError(404, "itemNotFound", "Participant not found.");
		case "conflict":
			throw new GraphError(409, "Conflict", "A call with this id already exists.");
	}
}
