import * as v from "valibot";
import type { ErrorDetail } from "../http/graph-error";
import type { ApiVersion } from "./api-version";
import { declaredEntries, derivedEntries } from "./derived-operation-types";
import { graphTypeName, qualifiedTypeName, unresolvedTypeMessage } from "./odata-type-name";
import { OperationStatus } from "./operation-status";
import { ResultInfo } from "./result-info";
import { ClientContext, Key } from "./scalars";
import { fieldIssue, invalid, issuesToDetails } from "./validation-error";

// Set by the stub, never by the client: a client's values are ignored.
const SERVER_OWNED = new Set(["createdDateTime", "lastActionDateTime"]);

export const CreateEntries = {
	id: v.optional(Key),
	status: v.optional(OperationStatus, "NotStarted"),
	clientContext: v.optional(ClientContext, null),
	resultInfo: v.optional(ResultInfo, null),
};
export const PatchEntries = {
	id: v.optional(Key),
	status: v.optional(OperationStatus),
	clientContext: v.optional(ClientContext),
	resultInfo: v.optional(ResultInfo),
};

export type Mode = "create" | "patch";

/** A validated commsOperation body: its type, its id if given, and its properties in output order. */
export type OperationDraft = { typeName: string; id: string | undefined; entries: [string, unknown][] };

const schemas = new Map<string, v.GenericSchema<unknown, Record<string, unknown>>>();

function schemaFor(mode: Mode, typeName: string, extra: v.ObjectEntries) {
	const cacheKey = `${mode} ${typeName}`;
	let schema = schemas.get(cacheKey);
	if (!schema) {
		schema = v.looseObject({ ...(mode === "create" ? CreateEntries : PatchEntries), ...extra });
		schemas.set(cacheKey, schema);
	}
	return schema;
}

// Instance annotations (`@odata.context`, `@odata.id`, …) are ignored; `@odata.type` is read apart.
const isIgnored = (key: string) => key.startsWith("@") || SERVER_OWNED.has(key);

/** On patch: the operation as stored, whose id and type a body may repeat but not change. */
export type StoredIdentity = { id: string; typeName: string };

/** Validates a commsOperation body for `version`. Throws one 400 naming every failing field. */
export function parseOperation(
	version: ApiVersion,
	body: Record<string, unknown>,
	mode: Mode,
	stored?: StoredIdentity,
) {
	const details: ErrorDetail[] = [];
	const sentType = body["@odata.type"];
	const storedType = stored?.typeName;
	let typeName = storedType ?? "commsOperation";
	if (sentType !== undefined) {
		const resolved = typeof sentType === "string" ? graphTypeName(sentType) : undefined;
		if (typeof sentType !== "string") details.push(fieldIssue("@odata.type", "must be a string"));
		else if (resolved === undefined || derivedEntries(version, resolved) === undefined)
			details.push(fieldIssue("@odata.type", unresolvedTypeMessage(sentType)));
		else if (storedType !== undefined && resolved !== storedType)
			details.push(fieldIssue("@odata.type", `cannot be changed from '${qualifiedTypeName(storedType)}'`));
		else typeName = resolved;
	}
	// Held to every version's declaration of the type: beta reads back what a v1.0 write stores.
	const extra = declaredEntries(typeName);
	const result = v.safeParse(schemaFor(mode, typeName, extra), body, { abortEarly: false });
	if (result.issues) details.push(...issuesToDetails(result.issues));

	if (stored && body.id !== undefined && body.id !== stored.id)
		details.push(fieldIssue("id", `cannot be changed from '${stored.id}'`));

	const known = new Set([...Object.keys(CreateEntries), ...Object.keys(extra)]);
	const entries: [string, unknown][] = [];
	const output = result.success ? result.output : {};
	const first = ["status", "clientContext", "resultInfo"].filter((key) => key in output);
	for (const key of first) entries.push([key, output[key]]);
	for (const [key, value] of Object.entries(body)) {
		if (key === "id" || isIgnored(key) || first.includes(key)) continue;
		// Depth is bounded already: readJsonObject refuses a body nested deeper than MAX_JSON_DEPTH.
		entries.push([key, known.has(key) ? output[key] : value]);
	}
	if (details.length) throw invalid("request body", details);
	const id = typeof body.id === "string" ? body.id : undefined;
	return { typeName, id, entries } satisfies OperationDraft;
}
