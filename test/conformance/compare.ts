import type { Json } from "./corpus";

// Compares an answer with a documented one by shape, not by value: every documented property is there,
// with a value of the same JSON type; `@odata.type`s are the same; enum values are spelled the same.
// Ids, times, URLs and free text are not compared. Properties the stub adds are not compared either:
// the docs mark their examples shortened ("truncated"), so an extra property says nothing.

/** Properties whose values are enum members (or arrays of them) in Graph's cloud-communications schema. */
const ENUMS = new Set([
	"status",
	"state",
	"changeType",
	"direction",
	"modality",
	"modalities",
	"requestedModalities",
	"activeModalities",
	"acceptedModalities",
	"mediaDirection",
	"mediaType",
	"role",
	"tone",
	"tones",
	"endpointType",
	"completionReason",
	"recordingStatus",
	"routingType",
	"screenSharingRole",
	"sourceType",
	"reason",
]);

const kindOf = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
const typeName = (value: unknown) => (typeof value === "string" ? value.replace(/^#/, "") : value);

function walk(doc: Json, actual: unknown, path: string, key: string, out: string[]) {
	if (doc === null) {
		// A documented null says the property exists; its type is unknown.
		if (actual === undefined) out.push(`${path}: missing (the docs show null)`);
		return;
	}
	if (actual === undefined) {
		out.push(`${path}: missing`);
		return;
	}
	const expected = kindOf(doc);
	const got = kindOf(actual);
	if (expected !== got) {
		out.push(`${path}: ${got} where the docs show ${expected}`);
		return;
	}
	if (key === "@odata.type") {
		if (typeName(doc) !== typeName(actual)) out.push(`${path}: ${String(actual)} where the docs show ${doc}`);
		return;
	}
	if (ENUMS.has(key) && typeof doc === "string") {
		if (doc !== actual) out.push(`${path}: "${String(actual)}" where the docs show "${doc}"`);
		return;
	}
	if (Array.isArray(doc)) {
		const items = actual as unknown[];
		if (doc.length > 0 && items.length === 0) out.push(`${path}: empty where the docs show ${doc.length} item(s)`);
		doc.forEach((item, i) => {
			if (i < items.length) walk(item, items[i], `${path}[${i}]`, key, out);
		});
		return;
	}
	if (typeof doc === "object") {
		const object = actual as Record<string, unknown>;
		for (const [name, value] of Object.entries(doc))
			walk(value, object[name], path ? `${path}.${name}` : name, name, out);
	}
}

/** The differences between a documented body and an actual one, as readable lines (none: they match). */
export function shapeDifferences(doc: Json | undefined, actual: unknown, path = ""): string[] {
	const out: string[] = [];
	if (doc === undefined) return out;
	walk(doc, actual, path, "", out);
	return out;
}
