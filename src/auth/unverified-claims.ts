import { decodeJwt } from "jose";
import { appIdClaim } from "./app-id-claim";
import { tokenHashNamespace } from "./token-hash";

/**
 * `claims` mode, for one tester on their own machine: a JWT's unverified `tid` + `appid`/`azp`, so all
 * tokens of one app share calls across token refresh; any other token, its hash. Anyone can write such a
 * JWT for any tenant, so this mode must never serve a shared deployment.
 */
export async function unverifiedClaimsNamespace(token: string): Promise<string> {
	const claims = decodedClaims(token);
	if (claims && typeof claims.tid === "string") {
		const app = appIdClaim(claims);
		return `claims:tid:${encodeURIComponent(claims.tid)}/app:${encodeURIComponent(app)}`;
	}
	return tokenHashNamespace(token);
}

function decodedClaims(token: string): Record<string, unknown> | undefined {
	try {
		return decodeJwt(token);
	} catch {
		return undefined;
	}
}
