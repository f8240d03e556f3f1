import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An identity provider's key endpoint on loopback, for the jwks tests: GET /<set>/jwks serves the JSON
 * Web Key Set last PUT to /<set>/jwks (404 before), and counts the GETs (GET /<set>/count).
 */
export async function startKeyServer(): Promise<{ url: string; server: Server }> {
	const sets = new Map<string, string>();
	const fetches = new Map<string, number>();
	const server = createServer((request, response) => {
		let body = "";
		request.on("data", (chunk) => {
			body += chunk;
		});
		request.on("end", () => {
			const path = new URL(request.url ?? "/", "http://keys").pathname;
			const [, set = "", leaf] = path.split("/");
			if (request.method === "PUT" && leaf === "jwks") {
				sets.set(set, body);
				response.writeHead(204).end();
			} else if (leaf === "count") {
				response.writeHead(200, { "Content-Type": "application/json" }).end(String(fetches.get(set) ?? 0));
			} else if (leaf === "jwks" && sets.has(set)) {
				fetches.set(set, (fetches.get(set) ?? 0) + 1);
				response.writeHead(200, { "Content-Type": "application/json" }).end(sets.get(set));
			} else response.writeHead(404).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, server };
}
