import { API_VERSIONS, type ApiVersion } from "./api-version";
import {
	DECLARED,
	declaredType,
	droppedAnywhereOn,
	nestedType,
	type TypeName,
	undeclaredOn,
} from "./declared-properties";
import { graphTypeName } from "./odata-type-name";

// The per-version view at the edge. A call, its participants and its operations are stored once, with
// whatever any version declares; every answer and every notification passes through here on its way out,
// so a v1.0 bot never sees a property only beta declares (answeredBy, targets[].endpointType,
// playPromptOperation.completionReason …), and a beta bot sees what beta declares.
//
// Use: `versionView(value, version)` on an object or array about to be sent (a notification's
// resourceData, a participant), `versionViewJson(json, version)` on a stored document served as is. A new
// resource (e.g. a meeting) adds its types to src/schema/declared-properties.ts; nothing else changes.

const DROPPED = Object.fromEntries(
	API_VERSIONS.map((version) => [
		version,
		new Map((Object.keys(DECLARED) as TypeName[]).map((type) => [type, undeclaredOn(version, type)])),
	]),
) as Record<ApiVersion, Map<TypeName, ReadonlySet<string>>>;

/** The quoted keys whose presence in a JSON document means its view may differ from it. */
const TELLTALES = Object.fromEntries(
	API_VERSIONS.map((version) => [version, droppedAnywhereOn(version).map((name) => `"${name}":`)]),
) as Record<ApiVersion, string[]>;

const ownType = (value: Record<string, unknown>): TypeName | undefined => {
	const tag = value["@odata.type"];
	return typeof tag === "string" ? declaredType(graphTypeName(tag)) : undefined;
};

/**
 * `value` as `version` declares it: every object whose type (its own `@odata.type`, else the type its
 * parent declares for it) has properties `version` does not declare loses them; all else is kept, in
 * order. Never mutates `value`. (Stored documents are depth-limited on write, so the recursion is bounded.)
 */
export function versionView<T>(value: T, version: ApiVersion, type?: TypeName): T {
	if (Array.isArray(value)) return value.map((item) => versionView(item, version, type)) as T;
	if (value === null || typeof value !== "object") return value;
	const object = value as Record<string, unknown>;
	const own = ownType(object) ?? type;
	const dropped = own === undefined ? undefined : DROPPED[version].get(own);
	// Object.fromEntries defines own properties: a `__proto__` key stays data, never a prototype.
	return Object.fromEntries(
		Object.entries(object)
			.filter(([key]) => !dropped?.has(key))
			.map(([key, child]) => [key, versionView(child, version, nestedType(own, key))]),
	) as T;
}

/** A stored JSON document as `version` declares it; unchanged (and not parsed) when it names nothing to drop. */
export function versionViewJson(json: string, version: ApiVersion): string {
	if (!TELLTALES[version].some((telltale) => json.includes(telltale))) return json;
	return JSON.stringify(versionView(JSON.parse(json) as unknown, version));
}
