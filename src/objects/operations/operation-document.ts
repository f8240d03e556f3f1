import { qualifiedTypeName } from "../../schema/odata-type-name";

type Entries = readonly (readonly [string, unknown])[];

// Object.fromEntries defines own properties, so a `__proto__` key stays a plain dynamic property
// and never reaches a prototype.

/** A validated create, its properties already serialised by the Worker (the object only splices them). */
export type NewOperation = { typeName: string; id: string; propertiesJson: string };

export const serialiseProperties = (entries: Entries) => JSON.stringify(Object.fromEntries(entries));

/** A new operation's JSON: type and id first, then its properties, then the two timestamps. */
export function newDocument({ typeName, id, propertiesJson }: NewOperation, now: string): string {
	const properties = propertiesJson.slice(1, -1);
	const head = `{"@odata.type":${JSON.stringify(qualifiedTypeName(typeName))},"id":${JSON.stringify(id)}`;
	return `${head}${properties ? `,${properties}` : ""},"createdDateTime":"${now}","lastActionDateTime":"${now}"}`;
}

/** `stored` with `changes` applied (existing keys keep their place) and `lastActionDateTime` set to `now`. */
export function patchedDocument(stored: string, changes: Entries, now: string): string {
	const properties = new Map(Object.entries(JSON.parse(stored) as Record<string, unknown>));
	const created = properties.get("createdDateTime");
	properties.delete("createdDateTime");
	properties.delete("lastActionDateTime");
	for (const [key, value] of changes) properties.set(key, value);
	properties.set("createdDateTime", created);
	properties.set("lastActionDateTime", now);
	return JSON.stringify(Object.fromEntries(properties));
}
