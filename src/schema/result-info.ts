import * as v from "valibot";
import { objectMessage } from "./object-message";
import { graphTypeName, unresolvedTypeMessage } from "./odata-type-name";
import { Int32 } from "./scalars";

/** resultInfo is not an open type: unknown keys are refused. Output always carries its `@odata.type`. */
export const ResultInfo = v.nullable(
	v.pipe(
		v.strictObject(
			{
				"@odata.type": v.optional(
					v.pipe(
						v.string("must be a string"),
						v.check(
							(input) => graphTypeName(input) === "resultInfo",
							(issue) => unresolvedTypeMessage(String(issue.input)),
						),
					),
				),
				code: Int32,
				subcode: Int32,
				message: v.optional(v.nullable(v.string("must be a string or null")), null),
			},
			objectMessage("resultInfo"),
		),
		v.transform(({ code, subcode, message }) => resultInfoOf(code, subcode, message)),
	),
);
export type ResultInfo = v.InferOutput<typeof ResultInfo>;

/** A resultInfo as Graph writes it (numeric code and subcode, typed): for the stub's own outcomes too. */
export function resultInfoOf(code: number, subcode: number, message: string | null) {
	return { "@odata.type": "#microsoft.graph.resultInfo", code, subcode, message };
}
