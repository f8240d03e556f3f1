import * as v from "valibot";
import { badRequest } from "../http/graph-error";
import type { ApiVersion } from "./api-version";
import { invalid, issuesToDetails } from "./validation-error";

// OData's system query options. Their names are matched case-insensitively (OData 4.01), and on beta
// the `$` is optional (Graph's query-parameters page: `filter` means `$filter` there). Options this
// stub does not implement are refused, not silently ignored, so a test never passes on a filter that
// did nothing. Other parameters are custom ones and are ignored, as Graph ignores them.
const SYSTEM_OPTIONS = new Set([
	"$apply",
	"$compute",
	"$count",
	"$deltatoken",
	"$expand",
	"$filter",
	"$format",
	"$index",
	"$levels",
	"$orderby",
	"$schemaversion",
	"$search",
	"$select",
	"$skip",
	"$skiptoken",
	"$top",
]);

/** The one rule: the option a parameter names (lower case, with `$`), or undefined for a custom parameter. */
function optionName(key: string, version: ApiVersion): string | undefined {
	const name = key.toLowerCase();
	if (name.startsWith("$")) return name;
	return version === "beta" && SYSTEM_OPTIONS.has(`$${name}`) ? `$${name}` : undefined;
}

/** The query's options under their normalised names, each at most once and each one `supported`. */
export function readOptions(params: URLSearchParams, version: ApiVersion, supported: readonly string[]) {
	const options: Record<string, string> = Object.create(null);
	for (const [key, value] of params) {
		const name = optionName(key, version);
		if (name === undefined) continue;
		if (!supported.includes(name))
			throw badRequest(`Query option '${key}' is not supported by this stub on this resource.`);
		if (name in options) throw badRequest(`Query option '${name}' is given more than once.`);
		options[name] = value;
	}
	return options;
}

const ListQuery = v.object({
	$top: v.optional(
		v.pipe(
			v.string(),
			v.regex(/^\d{1,3}$/, "must be an integer from 1 to 999"),
			v.transform(Number),
			v.minValue(1, "must be an integer from 1 to 999"),
		),
		"100",
	),
	$count: v.optional(v.picklist(["true", "false"], "must be true or false"), "false"),
	$skiptoken: v.optional(v.string()),
});

/** `$top` (1–999, default 100), `$count`, `$skiptoken` for a collection read. */
export function listQuery(params: URLSearchParams, version: ApiVersion) {
	const options = readOptions(params, version, ["$top", "$count", "$skiptoken"]);
	const result = v.safeParse(ListQuery, options, { abortEarly: false });
	if (!result.success) throw invalid("query", issuesToDetails(result.issues));
	const { $top, $count, $skiptoken } = result.output;
	return { top: $top, withCount: $count === "true", skipToken: $skiptoken };
}

/** A single-entity read, and `…/$count`, accept no OData options. */
export const noOptionsQuery = (params: URLSearchParams, version: ApiVersion) => {
	readOptions(params, version, []);
};

// Each call on a page of /_stub/calls is one request to its object: the page stays well under a
// Worker's subrequest limit (docs/deploy.md).
const CALLS_PAGE_DEFAULT = 100;
const CALLS_PAGE_MAX = 500;
const CALLS_TOP_MESSAGE = `must be an integer from 1 to ${CALLS_PAGE_MAX}`;

const CallsQuery = v.object({
	$top: v.optional(
		v.pipe(
			v.string(),
			v.regex(/^\d{1,3}$/, CALLS_TOP_MESSAGE),
			v.transform(Number),
			v.minValue(1, CALLS_TOP_MESSAGE),
			v.maxValue(CALLS_PAGE_MAX, CALLS_TOP_MESSAGE),
		),
		String(CALLS_PAGE_DEFAULT),
	),
	$skiptoken: v.optional(v.string()),
});

/** `$top` (1–500, default 100) and `$skiptoken` for `GET /_stub/calls` (no version: the `$` is required). */
export function callsQuery(params: URLSearchParams) {
	const options = readOptions(params, "v1.0", ["$top", "$skiptoken"]);
	const result = v.safeParse(CallsQuery, options, { abortEarly: false });
	if (!result.success) throw invalid("query", issuesToDetails(result.issues));
	return { top: result.output.$top, skipToken: result.output.$skiptoken };
}
