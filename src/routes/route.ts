import type { RouterType } from "itty-router";
import type * as v from "valibot";
import type { RouterArgs, StubRequest } from "../http/stub-request";
import { methodNotAllowed } from "./fallbacks";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type RouteHandler = (request: StubRequest, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

/** One response the route can give besides Graph's error envelope (which every route may answer). */
export type ResponseDoc = {
	description: string;
	/** The JSON body; none for an empty answer. */
	json?: v.GenericSchema;
	/** Another body (or an alternative): its media type (`text/plain` for `$count`, `text/html` for the page). */
	other?: string;
};

/** What the OpenAPI document says about a route; generated from the same valibot schemas the route uses. */
export type RouteDoc = {
	summary: string;
	tag: "Graph: operations" | "Graph: calls" | "Stub: controls" | "Stub: public";
	/** `none`: public (health, keys, the live page); otherwise the tester's bearer token. */
	auth?: "none";
	/** `name`: the body's name under the document's components (shared by every route that reads it). */
	body?: { json: v.GenericSchema; required: boolean; name: string };
	query?: readonly string[];
	responses: Record<number, ResponseDoc>;
};

/** One row of the route table: the router registers it and the OpenAPI document describes it. */
export type Route = { method: Method; path: string; handler: RouteHandler; doc: RouteDoc };

/**
 * Registers the table in its order (itty-router tries patterns in turn), each path followed by its 405
 * answer naming the methods the table gives it.
 */
export function registerRoutes(router: RouterType<StubRequest, RouterArgs>, routes: readonly Route[]) {
	const byPath = new Map<string, Route[]>();
	for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
	for (const [path, rows] of byPath) {
		for (const { method, handler } of rows) router[METHOD_NAMES[method]](path, handler);
		router.all(path, methodNotAllowed(...rows.map((row) => row.method)));
	}
}

const METHOD_NAMES = { GET: "get", POST: "post", PUT: "put", PATCH: "patch", DELETE: "delete" } as const;
