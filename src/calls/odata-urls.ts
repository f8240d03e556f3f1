import type { ApiVersion } from "../schema/api-version";

/** An OData string literal doubles its single quotes. */
export const literal = (text: string) => text.replaceAll("'", "''");

export const operationsPath = (version: ApiVersion, callId: string) =>
	`/${version}/communications/calls/${encodeURIComponent(callId)}/operations`;

export const operationPath = (version: ApiVersion, callId: string, id: string) =>
	`${operationsPath(version, callId)}/${encodeURIComponent(id)}`;

/** The `@odata.context` of one of a call's collections (operations unless another is named). */
export const collectionContext = (origin: string, version: ApiVersion, callId: string, collection = "operations") =>
	`${origin}/${version}/$metadata#communications/calls('${literal(callId)}')/${collection}`;

export const entityContext = (origin: string, version: ApiVersion, callId: string) =>
	`${collectionContext(origin, version, callId)}/$entity`;

/** Puts `@odata.context` first into a stored operation's or call's JSON without parsing it again. */
export const withContext = (json: string, context: string) =>
	`{"@odata.context":${JSON.stringify(context)},${json.slice(1)}`;
