import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An HTTP server on a free loopback port that hands each request to `handle` with its whole body read. */
export async function listenOnLoopback(
	handle: (request: IncomingMessage, body: string, response: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
	const server = createServer((request, response) => {
		let body = "";
		request.on("data", (chunk) => {
			body += chunk;
		});
		request.on("end", () => handle(request, body, response));
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, server };
}
