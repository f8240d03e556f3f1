/** A schema of the document with its `#/components/schemas/…` references inlined (they never recurse). */
export function inlineRefs(schema: unknown, components: Record<string, unknown>): unknown {
	if (Array.isArray(schema)) return schema.map((item) => inlineRefs(item, components));
	if (schema === null || typeof schema !== "object") return schema;
	const { $ref, ...rest } = schema as Record<string, unknown>;
	const inlined = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, inlineRefs(value, components)]));
	if (typeof $ref !== "string") return inlined;
	const name = $ref.replace("#/components/schemas/", "");
	if (!(name in components)) throw new Error(`unresolved ${$ref}`);
	return { ...(inlineRefs(components[name], components) as object), ...inlined };
}
