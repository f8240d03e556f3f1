import type { ErrorDetail, GraphError } from "../../http/graph-error";
import { failureError, refusalError } from "../../http/outcome-errors";
import type { CallRefusal } from "../call/call-outcome";
import type { Failure } from "../call-results";
import { journalBody } from "./journal-body";
import type { CappedBody, PendingRequest } from "./request-facts";

/** An error answer decided outside the two outcome kinds (a recording's wrong token, a refusal in the Worker). */
export type Decided = {
	ok: false;
	error: "decided";
	outcome: string;
	status: number;
	code: string;
	message: string;
	details?: ErrorDetail[];
};

/** What any of the call object's answers looks like to the journal: a value, or a refusal of any kind. */
export type Answered = { ok: true; value: unknown } | Failure | CallRefusal | Decided;

/** How the request was answered, as its journal entry keeps it. */
export type JournalAnswer = { status: number; outcome: string; body: CappedBody | undefined };

const CALL_REFUSALS = new Set(["noCallbackUri", "participantNotFound", "wrongState"]);

function errorOf(pending: PendingRequest, failure: Failure | CallRefusal): GraphError {
	if (pending.fault) return failureError({ ok: false, error: "fault", fault: pending.fault });
	// A conflict is an operation's when the request named one (a create), else the call's.
	const ofCall = CALL_REFUSALS.has(failure.error) || (failure.error === "conflict" && !pending.operationId);
	return ofCall ? refusalError(failure as CallRefusal) : failureError(failure as Failure, pending.operationId);
}

/**
 * The answer's body as the object gave it to the Worker: the resource (the Worker adds `@odata.context`),
 * a list's `value`, a count as text; undefined for an answer without a body.
 */
function valueText(value: unknown): string | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === "string") return value;
	if (typeof value === "number") return String(value);
	if (Array.isArray(value)) return JSON.stringify({ value });
	if (typeof value === "object") {
		if ("json" in value && typeof value.json === "string") return value.json;
		if ("items" in value && Array.isArray(value.items))
			return `{"value":[${value.items.map((item: { json: string }) => item.json).join(",")}]}`;
	}
	return JSON.stringify(value);
}

/** The status, outcome and response body of `answered`, or of the fault the plan injected instead. */
export function journalAnswer(pending: PendingRequest, answered: Answered): JournalAnswer {
	if (answered.ok && !pending.fault) {
		const text = pending.okStatus === 204 ? undefined : valueText(answered.value); // 204: no body sent
		return { status: pending.okStatus, outcome: "ok", body: text === undefined ? undefined : journalBody(text) };
	}
	if (!answered.ok && answered.error === "decided") {
		const { status, outcome, code, message, details } = answered;
		const error = { code, message, ...(details?.length ? { details } : {}) };
		return { status, outcome, body: journalBody(JSON.stringify({ error })) };
	}
	const failure: Failure | CallRefusal = answered.ok ? { ok: false, error: "unexpected" } : answered;
	const error = errorOf(pending, failure);
	const details = error.details.length ? { details: error.details } : {};
	const envelope = { code: error.code, message: error.message, ...details };
	return {
		status: error.status,
		outcome: pending.fault ? "fault" : failure.error,
		body: journalBody(JSON.stringify({ error: envelope })),
	};
}
