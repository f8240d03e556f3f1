/** How deeply a property's value may nest objects and arrays (the body itself is not counted). */
export const MAX_JSON_DEPTH = 32;

/** Whether a JSON value nests deeper than `limit`, walked without recursion so hostile input cannot overflow the stack. */
export function exceedsDepth(value: unknown, limit: number): boolean {
	const stack: [unknown, number][] = [[value, 1]];
	for (let next = stack.pop(); next; next = stack.pop()) {
		const [node, depth] = next;
		if (node === null || typeof node !== "object") continue;
		if (depth > limit) return true;
		for (const child of Object.values(node)) stack.push([child, depth + 1]);
	}
	return false;
}

/** The top-level keys of a parsed body whose values nest deeper than MAX_JSON_DEPTH. */
export const tooDeepKeys = (body: Record<string, unknown>): string[] =>
	Object.keys(body).filter((key) => exceedsDepth(body[key], MAX_JSON_DEPTH));
