import { refusalError } from "../../http/outcome-errors";
import type { CallOutcome } from "../../objects/call/call-outcome";

/** The value of the call object's answer, or the Graph error its refusal stands for. */
export function callAnswer<T>(outcome: CallOutcome<T>): T {
	if (outcome.ok) return outcome.value;
	throw refusalError(outcome);
}
