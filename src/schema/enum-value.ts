import * as v from "valibot";

/**
 * A Graph enum property: matched case-insensitively, emitted in the schema's spelling.
 * `unknownFutureValue` is never a member here, so Graph's sentinel is refused on input as Graph does.
 */
export function enumValue<const T extends readonly [string, ...string[]]>(typeName: string, members: T) {
	const canonical = new Map(members.map((member) => [member.toLowerCase(), member]));
	const allowed = `allowed values are ${members.join(", ")}`;
	return v.pipe(
		v.string(`must be a ${typeName} string; ${allowed}`),
		v.transform((input) => canonical.get(input.toLowerCase()) ?? input),
		v.picklist(members, (issue) => `'${String(issue.input)}' is not a valid ${typeName}; ${allowed}`),
	);
}
