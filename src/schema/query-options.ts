import * as v from "valibot";
import { badRequest } from "../http/graph-error";
import { invalid, issuesToDetails } from "./validation-error";

type Query = Record<string, string | string[] | undefined>;

// OData options this stub does not implement are refused, not silently ignored, so a test never
// passes on a filter that did nothing. Options without `$` are ignored, as Graph ignores them.
const UNSUPPORTED = ["$filter", "$orderby", "$select", "$expand", "$search", "$skip", "$format", "$apply"];

function refuseUnsupported(query: Query, supported: readonly string[]) {
	for (const key of Object.keys(query)) {
		const name = key.toLowerCase();
		if (UNSUPPORTED.includes(name) || (name.startsWith("$") && !supported.includes(name)))
			throw badRequest(`Query option '${key}' is not supported by this stub on this resource.`);
		if (Array.isArray(query[key])) throw badRequest(`Query option '${key}' is given more than once.`);
	}
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
export function listQuery(query: Query) {
	refuseUnsupported(query, ["$top", "$count", "$skiptoken"]);
	const result = v.safeParse(ListQuery, query, { abortEarly: false });
	if (!result.success) throw invalid("query", issuesToDetails(result.issues));
	const { $top, $count, $skiptoken } = result.output;
	return { top: $top, withCount: $count === "true", skipToken: $skiptoken };
}

/** A single-entity read accepts no OData options. */
export const entityQuery = (query: Query) => refuseUnsupported(query, []);
