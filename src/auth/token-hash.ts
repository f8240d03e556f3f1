/** `token:` + the token's SHA-256: only the token's holder can name this namespace. */
export async function tokenHashNamespace(token: string): Promise<string> {
	let namespace = recent.get(token);
	if (namespace === undefined) {
		const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
		namespace = `token:${[...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
		// A tester sends the same token over and over: remember a bounded number of them per isolate.
		if (recent.size >= RECENT_LIMIT) recent.clear();
		recent.set(token, namespace);
	}
	return namespace;
}

const RECENT_LIMIT = 1000;
const recent = new Map<string, string>();
