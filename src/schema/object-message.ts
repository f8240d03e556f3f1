import type * as v from "valibot";

/** One message function for an object schema's own issues: wrong type, missing key, unknown key. */
export function objectMessage(typeName: string) {
	return (issue: v.BaseIssue<unknown>) => {
		if (issue.expected === "never") return `is not a property of ${typeName}`;
		if (issue.kind === "schema" && issue.input === undefined && issue.path?.length) return "is required";
		return `must be a ${typeName} object`;
	};
}
