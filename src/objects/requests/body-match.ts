/**
 * Whether `value` contains the JSON sub-document `pattern` (the journal's `bodyContains`):
 * - an object matches an object that has each of its keys, each value matching (extra keys are fine);
 * - an array matches an array holding a match for each of its elements, in the same order, each a
 *   different element (a subsequence: `[]` matches any array, `[a]` any array with an `a` somewhere);
 * - anything else matches only the same value (strings, numbers, booleans, null).
 */
export function bodyMatches(pattern: unknown, value: unknown): boolean {
	if (Array.isArray(pattern)) {
		if (!Array.isArray(value)) return false;
		// Taking the earliest match for each element leaves the most room for the rest.
		let next = 0;
		for (const wanted of pattern) {
			while (next < value.length && !bodyMatches(wanted, value[next])) next++;
			if (next === value.length) return false;
			next++;
		}
		return true;
	}
	if (pattern !== null && typeof pattern === "object") {
		if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
		const object = value as Record<string, unknown>;
		return Object.entries(pattern).every(
			([key, wanted]) => Object.hasOwn(object, key) && bodyMatches(wanted, object[key]),
		);
	}
	return pattern === value;
}
