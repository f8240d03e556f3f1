/** The app a JWT's claims name: `appid` (v1 tokens), else `azp` (v2), else "". */
export const appIdClaim = (claims: Record<string, unknown>): string =>
	typeof claims.appid === "string" ? claims.appid : typeof claims.azp === "string" ? claims.azp : "";
