import type { IRequestStrict } from "itty-router";

/** What every handler, the error path and the header stage know about the request. */
export type RequestMeta = { requestId: string; clientRequestId: string; origin: string };

export type StubRequest = IRequestStrict & { meta: RequestMeta };
export type RouterArgs = [env: Env, ctx: ExecutionContext];

/** The router's first `before` stage: ids for the response headers and the error envelope. */
export function withRequestMeta(request: StubRequest): undefined {
	const requestId = crypto.randomUUID();
	const sent = request.headers.get("client-request-id");
	request.meta = {
		requestId,
		clientRequestId: sent && sent.length <= 256 ? sent : requestId,
		origin: new URL(request.url).origin,
	};
}
