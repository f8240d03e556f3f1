import * as v from "valibot";
import { badRequest, type ErrorDetail } from "../http/graph-error";

/** `resultInfo.code`, `participants[2]`: the JSON path of an issue, as a tester reads it. */
export function jsonPath(path: readonly { key: unknown }[] | undefined): string {
	let out = "";
	for (const { key } of path ?? []) out += typeof key === "number" ? `[${key}]` : out ? `.${String(key)}` : String(key);
	return out;
}

export const fieldIssue = (target: string, message: string): ErrorDetail => ({
	code: "InvalidValue",
	message: `${target}: ${message}`,
	target,
});

export const issuesToDetails = (issues: readonly v.BaseIssue<unknown>[]): ErrorDetail[] =>
	issues.map((issue) => fieldIssue(jsonPath(issue.path), issue.message));

/** One 400 naming every failing field of `subject` ("request body", "path"), in `message` and `details[]`. */
export function invalid(subject: string, details: ErrorDetail[]) {
	const reasons = details.map((detail) => detail.message.replace(/\.$/, ""));
	return badRequest(`Invalid ${subject}: ${reasons.join("; ")}.`, details);
}

/** `input` parsed by `schema`, or one 400 naming every failing field of `subject` ("request body", "path"). */
export function parsedOrInvalid<S extends v.GenericSchema>(
	schema: S,
	input: unknown,
	subject: string,
): v.InferOutput<S> {
	const result = v.safeParse(schema, input, { abortEarly: false });
	if (!result.success) throw invalid(subject, issuesToDetails(result.issues));
	return result.output;
}
