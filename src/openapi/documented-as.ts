import type * as v from "valibot";

// What the OpenAPI document shows for a schema valibot cannot describe (a `v.custom` check): without this
// it would be an empty schema, which says nothing. document.ts reads it while converting.

const DESCRIBED = new WeakMap<v.GenericSchema, Record<string, unknown>>();

/** `schema`, marked to be documented as `jsonSchema`. */
export function documentedAs<S extends v.GenericSchema>(schema: S, jsonSchema: Record<string, unknown>): S {
	DESCRIBED.set(schema, jsonSchema);
	return schema;
}

export const describedAs = (schema: v.GenericSchema) => DESCRIBED.get(schema);
