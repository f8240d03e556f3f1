/**
 * The namespace a tester's data lives in (SPEC §5 "Isolation"): a JWT's `tid` plus `appid`/`azp`, so all
 * tokens of one app in one tenant share their calls; any other token, a hash of itself. The JWT is not
 * verified yet: isolation keeps honest testers apart, it is not a security boundary.
 */
export async function testerNamespace(token: string): Promise<string> {
	let namespace = recent.get(token);
	if (namespace === undefined) {
		namespace = await deriveNamespace(token);
		// A tester sends the same token over and over: remember a bounded number of them per isolate.
		if (recent.size >= RECENT_LIMIT) recent.clear();
		recent.set(token, namespace);
	}
	return namespace;
}

const RECENT_LIMIT = 1000;
const recent = new Map<string, string>();

async function deriveNamespace(token: string): Promise<string> {
	const claims = jwtClaims(token);
	if (claims && typeof claims.tid === "string") {
		const app = typeof claims.appid === "string" ? claims.appid : typeof claims.azp === "string" ? claims.azp : "";
		return `tid:${claims.tid}/app:${app}`;
	}
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
	return `token:${[...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

function jwtClaims(token: string): Record<string, unknown> | undefined {
	const parts = token.split(".");
	const payload = parts[1];
	if (parts.length !== 3 || !payload) return undefined;
	try {
		const json = atob(payload.replaceAll("-", "+").replaceAll("_", "/"));
		const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
		return claims !== null && typeof claims === "object" ? (claims as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}
