// JSON Merge Patch (RFC 7386): PATCH /_stub/config's semantics. An object in the patch merges into the
// target key by key, recursively; `null` removes a key; anything else (arrays included) replaces it.

type Json = unknown;

/** A JSON object (not null, not an array). */
export const isObject = (value: Json): value is Record<string, Json> =>
	value !== null && typeof value === "object" && !Array.isArray(value);

export function mergePatch(target: Json, patch: Json): Json {
	if (!isObject(patch)) return patch;
	const merged: Record<string, Json> = isObject(target) ? { ...target } : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete merged[key];
		else merged[key] = mergePatch(merged[key], value);
	}
	return merged;
}
