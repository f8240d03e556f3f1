import { Router } from "itty-router";
import { toErrorResponse } from "./http/error-response";
import { GraphError } from "./http/graph-error";
import { withGraphHeaders } from "./http/graph-headers";
import { addressedAuthority, type RouterArgs, type StubRequest, withRequestMeta } from "./http/stub-request";
import { methodNotAllowed, notFound } from "./routes/fallbacks";
import { addCallRoutes } from "./routes/graph-calls/routes";
import { createOperation } from "./routes/graph-operations/create-operation";
import { listOperations } from "./routes/graph-operations/list-operations";
import { deleteOperation, getOperation, patchOperation } from "./routes/graph-operations/operation-item";
import { health } from "./routes/stub/health";
import { listCalls, resetAllCalls, resetCall } from "./routes/stub/stub-calls";
import {
	deleteCallConfig,
	deleteNamespaceConfig,
	getCallConfig,
	getJournal,
	getNamespaceConfig,
	getNotifications,
	putCallConfig,
	putNamespaceConfig,
} from "./routes/stub/stub-config";
import { KEYS_PATH, openIdConfiguration, signingKeySet } from "./routes/stub/well-known";
import { withSettings } from "./settings/settings";

export { CallOperations } from "./objects/call-operations";
export { SigningKeys } from "./objects/keys/signing-keys";
export { CallRegistry } from "./objects/registry/call-registry";

const OPERATIONS = "/:version/communications/calls/:callId/operations";
const OPERATION = `${OPERATIONS}/:operationId`;

const router = Router<StubRequest, RouterArgs>({
	before: [withRequestMeta, withSettings],
	catch: toErrorResponse,
	finally: [withGraphHeaders],
})
	// Graph's routes first: the router tries each pattern in turn, and these carry nearly all the traffic.
	.post(OPERATIONS, createOperation)
	.get(OPERATIONS, listOperations)
	.all(OPERATIONS, methodNotAllowed("GET", "POST"))
	.get(OPERATION, getOperation)
	.patch(OPERATION, patchOperation)
	.delete(OPERATION, deleteOperation)
	.all(OPERATION, methodNotAllowed("GET", "PATCH", "DELETE"))
	.get("/_stub/health", health)
	.all("/_stub/health", methodNotAllowed("GET"))
	.get("/_stub/.well-known/openid-configuration", openIdConfiguration)
	.all("/_stub/.well-known/openid-configuration", methodNotAllowed("GET"))
	.get(KEYS_PATH, signingKeySet)
	.all(KEYS_PATH, methodNotAllowed("GET"))
	.get("/_stub/config", getNamespaceConfig)
	.put("/_stub/config", putNamespaceConfig)
	.delete("/_stub/config", deleteNamespaceConfig)
	.all("/_stub/config", methodNotAllowed("GET", "PUT", "DELETE"))
	.get("/_stub/calls/:callId/config", getCallConfig)
	.put("/_stub/calls/:callId/config", putCallConfig)
	.delete("/_stub/calls/:callId/config", deleteCallConfig)
	.all("/_stub/calls/:callId/config", methodNotAllowed("GET", "PUT", "DELETE"))
	.get("/_stub/calls/:callId/notifications", getNotifications)
	.all("/_stub/calls/:callId/notifications", methodNotAllowed("GET"))
	.get("/_stub/calls/:callId/journal", getJournal)
	.all("/_stub/calls/:callId/journal", methodNotAllowed("GET"))
	.get("/_stub/calls", listCalls)
	.delete("/_stub/calls", resetAllCalls)
	.all("/_stub/calls", methodNotAllowed("GET", "DELETE"))
	.delete("/_stub/calls/:callId", resetCall)
	.all("/_stub/calls/:callId", methodNotAllowed("DELETE"));
addCallRoutes(router); // the calls themselves, after the operations (whose paths they would also match)
router.all("*", notFound);

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
