const ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** A Graph JSON success body. `json` is already serialised, so stored operations are never re-parsed. */
export function odataJson(json: string, status = 200, headers: Record<string, string> = {}) {
	return new Response(json, { status, headers: { "Content-Type": ODATA_JSON, ...headers } });
}

export const plainText = (text: string, headers: Record<string, string> = {}) =>
	new Response(text, { headers: { "Content-Type": "text/plain;charset=utf-8", ...headers } });

export const noContent = (headers: Record<string, string> = {}) => new Response(null, { status: 204, headers });
