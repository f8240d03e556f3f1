import { toErrorResponse } from "./http/error-response";
import { GraphError } from "./http/graph-error";
import { withGraphHeaders } from "./http/graph-headers";
import { addressedAuthority, type StubRequest, withRequestMeta } from "./http/stub-request";
import { router } from "./router";

export { CallOperations } from "./objects/call-operations";
export { SigningKeys } from "./objects/keys/signing-keys";
export { Meeting } from "./objects/meeting/meeting";
export { CallRegistry } from "./objects/registry/call-registry";

const INVALID_HOST = new GraphError(400, "BadRequest", "The Host header does not name a host.");

export default {
	async fetch(request, env, ctx) {
		if (addressedAuthority(request)) {
			try {
				return await router.fetch(request, env, ctx);
			} catch (error) {
				// The router parses the URL outside its own catch; only a Host that passed the cheap check and
				// still makes no URL (`x:99999`) gets here. Anything else is a real fault: rethrown.
				if (URL.canParse(request.url)) throw error;
			}
		}
		// *Inferred*: Graph's front door answers a Host that names no host with a 400 of its own.
		const refused = request as unknown as StubRequest;
		withRequestMeta(refused, env);
		return withGraphHeaders(toErrorResponse(INVALID_HOST, refused), refused, env);
	},
} satisfies ExportedHandler<Env>;
