import * as v from "valibot";
import type { JournalQuery } from "../objects/requests/journal-query";
import { MAX_JSON_DEPTH, tooDeepKeys } from "./json-depth";
import { fieldIssue, invalid, issuesToDetails } from "./validation-error";

// GET /_stub/calls/{id}/requests and GET /_stub/requests: the query, validated whole (every failing
// parameter named in one 400). Unknown parameters are refused, so a misspelt filter never passes a
// test by filtering nothing.

export const JOURNAL_QUERY_PARAMS = [
	"method",
	"path",
	"route",
	"status",
	"since",
	"bodyContains",
	"count",
	"$top",
	"$skiptoken",
] as const;

export const MAX_JOURNAL_PAGE = 100;

const Json = v.rawTransform<string, unknown>(({ dataset, addIssue, NEVER }) => {
	try {
		const value: unknown = JSON.parse(dataset.value);
		if (value !== null && typeof value === "object" && tooDeepKeys(value as Record<string, unknown>).length) {
			addIssue({ message: `must nest at most ${MAX_JSON_DEPTH} levels` });
			return NEVER;
		}
		return value;
	} catch {
		addIssue({ message: "must be JSON (an object, array or value to find in the request body)" });
		return NEVER;
	}
});

const Status = v.pipe(
	v.string(),
	v.regex(/^[1-5](\d\d|xx)$/, "must be an HTTP status (404) or a class (4xx)"),
	v.transform((text) =>
		text.endsWith("xx")
			? { min: Number(text[0]) * 100, max: Number(text[0]) * 100 + 99 }
			: { min: Number(text), max: Number(text) },
	),
);

const Since = v.pipe(
	v.string(),
	v.check((text) => /^\d{4}-\d\d-\d\dT/.test(text) && !Number.isNaN(Date.parse(text)), "must be an ISO 8601 date-time"),
	v.transform((text) => new Date(Date.parse(text)).toISOString()),
);

const Top = v.pipe(
	v.string(),
	v.regex(/^\d{1,3}$/, `must be an integer from 1 to ${MAX_JOURNAL_PAGE}`),
	v.transform(Number),
	v.minValue(1, `must be an integer from 1 to ${MAX_JOURNAL_PAGE}`),
	v.maxValue(MAX_JOURNAL_PAGE, `must be an integer from 1 to ${MAX_JOURNAL_PAGE}`),
);

/** Where the previous page ended: base64url of `[dateTime, sequence]` or `[dateTime, callId, sequence]`. */
export type JournalCursor = { at: string; seq: number; callId?: string };

const Cursor = v.rawTransform<string, JournalCursor>(({ dataset, addIssue, NEVER }) => {
	try {
		const parsed: unknown = JSON.parse(atob(dataset.value.replaceAll("-", "+").replaceAll("_", "/")));
		if (Array.isArray(parsed)) {
			const [at, a, b] = parsed as unknown[];
			const seq = parsed.length === 3 ? b : a;
			const callId = parsed.length === 3 ? a : undefined;
			if (
				typeof at === "string" &&
				!Number.isNaN(Date.parse(at)) &&
				Number.isSafeInteger(seq) &&
				(callId === undefined || typeof callId === "string")
			)
				return { at, seq: seq as number, ...(callId === undefined ? {} : { callId }) };
		}
	} catch {
		// refused below
	}
	addIssue({ message: "is not a token this collection handed out" });
	return NEVER;
});

const JournalParams = v.strictObject({
	method: v.optional(
		v.pipe(
			v.string(),
			v.toUpperCase(),
			v.picklist(["GET", "POST", "PUT", "PATCH", "DELETE"], "must be GET, POST, PUT, PATCH or DELETE"),
		),
	),
	path: v.optional(
		v.pipe(v.string(), v.startsWith("/", "must start with /"), v.maxLength(2048, "must be at most 2048 characters")),
	),
	route: v.optional(
		v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z.]{0,63}$/, "must be a route name like playPrompt or createOperation")),
	),
	status: v.optional(Status),
	since: v.optional(Since),
	bodyContains: v.optional(v.pipe(v.string(), v.maxLength(4096, "must be at most 4096 characters"), Json)),
	count: v.optional(v.picklist(["true", "false"], "must be true or false"), "false"),
	$top: v.optional(Top, String(MAX_JOURNAL_PAGE)),
	$skiptoken: v.optional(v.pipe(v.string(), Cursor)),
});

export const encodeCursor = (cursor: JournalCursor) =>
	btoa(JSON.stringify(cursor.callId === undefined ? [cursor.at, cursor.seq] : [cursor.at, cursor.callId, cursor.seq]))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");

/** The journal query a request's parameters ask for, and the cursor it resumes from; one 400 naming every bad one. */
export function journalQuery(params: URLSearchParams): { query: JournalQuery; cursor: JournalCursor | undefined } {
	const given: Record<string, string> = {};
	const details = [];
	for (const [key, value] of params) {
		if (Object.hasOwn(given, key)) details.push(fieldIssue(key, "is given more than once"));
		given[key] = value;
	}
	const result = v.safeParse(JournalParams, given, { abortEarly: false });
	if (!result.success) {
		for (const issue of result.issues)
			details.push(
				issue.type === "strict_object"
					? fieldIssue(String(issue.path?.[0]?.key ?? "?"), `is not a filter (use ${JOURNAL_QUERY_PARAMS.join(", ")})`)
					: (issuesToDetails([issue])[0] ?? fieldIssue("query", issue.message)),
			);
	}
	if (details.length || !result.success) throw invalid("query", details);
	const { count, $top, $skiptoken, bodyContains, ...filters } = result.output;
	const query: JournalQuery = { ...filters, top: $top, count: count === "true" };
	if (bodyContains !== undefined) query.bodyContains = bodyContains;
	return { query, cursor: $skiptoken };
}
