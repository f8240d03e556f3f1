/** How deeply a JSON value nests, walked without recursion so hostile input cannot overflow the stack. */
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
