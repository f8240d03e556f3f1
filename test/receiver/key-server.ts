import type { Server } from "node:http";
import { listenOnLoopback } from "./loopback-server.ts";

/**
 * An identity provider's key endpoint on loopback, for the jwks tests: GET /<set>/jwks serves the JSON
 * Web Key Set last PUT to /<set>/jwks (404 before), and counts the GETs (GET /<set>/count); after a PUT
 * to /<set>/redirect, GET /<set>/jwks answers 302 to the URL that PUT carried.
 */
export async function startKeyServer(): Promise<{ url: string; server: Server }> {
	const sets = new Map<string, string>();
	const fetches = new Map<string, number>();
	const redirects = new Map<string, string>();
	return listenOnLoopback((request, body, response) => {
		const path = new URL(request.url ?? "/", "http://keys").pathname;
		const [, set = "", leaf] = path.split("/");
		if (request.method === "PUT" && leaf === "jwks") {
			sets.set(set, body);
			response.writeHead(204).end();
		} else if (request.method === "PUT" && leaf === "redirect") {
			redirects.set(set, body);
			response.writeHead(204).end();
		} else if (leaf === "jwks" && redirects.has(set)) {
			response.writeHead(302, { Location: redirects.get(set) }).end();
		} else if (leaf === "count") {
			response.writeHead(200, { "Content-Type": "application/json" }).end(String(fetches.get(set) ?? 0));
		} else if (leaf === "jwks" && sets.has(set)) {
			fetches.set(set, (fetches.get(set) ?? 0) + 1);
			response.writeHead(200, { "Content-Type": "application/json" }).end(sets.get(set));
		} else response.writeHead(404).end();
	});
}
