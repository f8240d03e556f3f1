import type { ApiVersion } from "../../schema/api-version";

export const callUrl = (origin: string, version: ApiVersion, callId: string) =>
	`${origin}/${version}/communications/calls/${encodeURIComponent(callId)}`;

/** Graph answers a create with the legacy `app/calls` context, and a GET with `communications/calls`. */
export const createdCallContext = (origin: string, version: ApiVersion) =>
	`${origin}/${version}/$metadata#app/calls/$entity`;
export const callContext = (origin: string, version: ApiVersion) =>
	`${origin}/${version}/$metadata#communications/calls/$entity`;
