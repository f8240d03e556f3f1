import type { Settings } from "../settings/settings";
import { tokenHashNamespace } from "./token-hash";
import { unauthenticated } from "./unauthenticated";
import { unverifiedClaimsNamespace } from "./unverified-claims";
import { verifiedJwtNamespace } from "./verified-jwt";

/**
 * The namespace a tester's data lives in, by AUTH_MODE (docs/contract.md, "Isolation and identity"). Each mode
 * prefixes its own names (`token:`, `claims:`, `tokens:`, `hs256:`, `jwks:`), so two modes never name the
 * same namespace; only `token:` is shared, and only the token's own holder can reach it.
 */
export async function testerNamespace(token: string, settings: Settings): Promise<string> {
	const namespace = await namespaceByMode(token, settings);
	// A call object's name holds its namespace, and a runtime keeps names only up to about a kilobyte: a
	// longer namespace (a JWT with a very long tid, say) is named by its hash instead, as stable.
	if (namespace.length <= MAX_NAMESPACE_LENGTH) return namespace;
	return `long:${(await tokenHashNamespace(namespace)).slice("token:".length)}`;
}

/** The longest namespace used as it is (and the longest a recording's URL may name). */
export const MAX_NAMESPACE_LENGTH = 256;

function namespaceByMode(token: string, settings: Settings): Promise<string> {
	switch (settings.authMode) {
		case "any":
		case "optional":
			return tokenHashNamespace(token);
		case "claims":
			return unverifiedClaimsNamespace(token);
		case "tokens":
			return listedTokenNamespace(token, settings);
		case "hs256":
		case "jwks":
			return verifiedJwtNamespace(token, settings);
	}
}

async function listedTokenNamespace(token: string, settings: Settings): Promise<string> {
	const name = settings.tokens.get(token);
	if (name === undefined) throw unauthenticated("the token is not one of this stub's STUB_TOKENS");
	return `tokens:${name}`;
}
