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
export function testerNamespace(token: string, settings: Settings): Promise<string> {
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
