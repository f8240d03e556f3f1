import type { StubRequest } from "./stub-request";

/** The router's `finally` stage: the headers Graph puts on every response (docs/contract.md). */
export function withGraphHeaders(response: Response, request: StubRequest, env: Env): Response {
	const headers = response.headers;
	headers.set("request-id", request.meta.requestId);
	headers.set("client-request-id", request.meta.clientRequestId);
	headers.set("Date", new Date().toUTCString());
	headers.set("x-ms-ags-diagnostic", diagnostic(request, env));
	if (headers.get("Content-Type")?.startsWith("application/json")) headers.set("OData-Version", "4.0");
	return response;
}

// One header value per place; built once, not on every response.
const diagnostics = new Map<string, string>();

function diagnostic(request: StubRequest, env: Env) {
	// `request.cf` is deserialised on first access: read it only when SERVED_FROM does not say.
	const colo = env.SERVED_FROM ? undefined : request.cf?.colo;
	const dataCenter = env.SERVED_FROM || (typeof colo === "string" ? colo : "unknown");
	let header = diagnostics.get(dataCenter);
	if (header === undefined) {
		const serverInfo = {
			DataCenter: dataCenter,
			Slice: "E",
			Ring: "stub",
			ScaleUnit: "000",
			RoleInstance: "graph-comms-stub",
		};
		header = JSON.stringify({ ServerInfo: serverInfo });
		diagnostics.set(dataCenter, header);
	}
	return header;
}
