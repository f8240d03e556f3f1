export type StubResponse = { status: number; body: string };

/**
 * One HTTP(S) request to the stub from Node, trusting `ca` (the stub's local CA under --https): Node's
 * fetch cannot be given a CA per request, and NODE_EXTRA_CA_CERTS is only read when a process starts.
 * node:http is imported on first use: importing it loads Node's fetch stack (undici, about 25 MB resident)
 * into the server's process, which otherwise never sends a request.
 */
export async function stubRequest(
	url: string,
	init: { method: string; headers?: Record<string, string>; body?: string | Uint8Array; ca?: string },
): Promise<StubResponse> {
	const send = url.startsWith("https:") ? (await import("node:https")).request : (await import("node:http")).request;
	return new Promise((resolve, reject) => {
		const req = send(url, { method: init.method, headers: init.headers, ca: init.ca }, (res) => {
			let body = "";
			res.setEncoding("utf8");
			res.on("data", (chunk: string) => {
				body += chunk;
			});
			res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
			res.on("error", reject);
		});
		req.on("error", reject);
		req.end(init.body);
	});
}

/** PUTs a namespace's default configuration (`PUT /_stub/config`) as the tester of `token`; none: anonymous. */
export async function putNamespaceConfig(
	base: string,
	config: string,
	token: string | undefined,
	ca: string | undefined,
): Promise<void> {
	const headers: Record<string, string> = { "Content-Type": "application/json" };
	if (token !== undefined) headers.Authorization = `Bearer ${token}`;
	const res = await stubRequest(`${base}/_stub/config`, { method: "PUT", headers, body: config, ca });
	if (res.status < 200 || res.status > 299) {
		const who = token === undefined ? "the anonymous namespace" : `token "${token}"`;
		throw new Error(`PUT /_stub/config for ${who} answered ${res.status}: ${res.body}`);
	}
}
