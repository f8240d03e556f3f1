import type { IRequestStrict } from "itty-router";

/** What every handler, the error path and the header stage know about the request. */
export type RequestMeta = {
	requestId: string;
	clientRequestId: string;
	origin: string;
	path: string;
	/** The query string's parameters, as sent (OData option names are normalised where they are read). */
	search: URLSearchParams;
};

export type StubRequest = IRequestStrict & { meta: RequestMeta };
export type RouterArgs = [env: Env, ctx: ExecutionContext];

/** The router's first `before` stage: ids for the response headers and the error envelope. */
export function withRequestMeta(request: StubRequest, env: Env): undefined {
	const requestId = crypto.randomUUID();
	const sent = request.headers.get("client-request-id");
	const url = URL.parse(request.url); // parsed once for every stage after this one
	request.meta = {
		requestId,
		clientRequestId: sent && sent.length <= 256 ? sent : requestId,
		origin: url ? requestOrigin(url.origin, env) : "",
		path: url?.pathname ?? "",
		search: url?.searchParams ?? new URLSearchParams(),
	};
}

/** The origin the stub reports in @odata.context and Location: the authority the client addressed. */
const requestOrigin = (origin: string, env: Env) =>
	env.PUBLIC_SCHEME ? `${env.PUBLIC_SCHEME}:${origin.slice(origin.indexOf("//"))}` : origin;

// host or [IPv6] and an optional port: nothing that could start a path, a query, a fragment or userinfo.
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[^\s/?#@\\[\],:]+)(?::\d{1,5})?$/;

/**
 * Whether the Host header names one authority. Locally, workerd builds `request.url` from the Host header
 * as sent, so a Host of `host/path?` would move the path the router sees, and `a b` or `x:99999` would
 * make a URL the router cannot parse (the caller catches that case).
 */
export function addressedAuthority(request: Request): boolean {
	// No Host header: the request was made inside the runtime (a test's fetch), its URL given whole.
	const host = request.headers.get("Host");
	return host === null || AUTHORITY.test(host);
}
