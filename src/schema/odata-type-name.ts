const PREFIX = "#microsoft.graph.";

/** `#microsoft.graph.x` or `microsoft.graph.x` → `x`; anything else → undefined. */
export function graphTypeName(value: string): string | undefined {
	const qualified = value.startsWith("#") ? value : `#${value}`;
	return qualified.startsWith(PREFIX) ? qualified.slice(PREFIX.length) : undefined;
}

export const qualifiedTypeName = (name: string) => `${PREFIX}${name}`;

export const unresolvedTypeMessage = (value: string) =>
	`A type named '${value}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`;
