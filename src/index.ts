import { Router } from "itty-router";
import { toErrorResponse } from "./http/error-response";
import { withGraphHeaders } from "./http/graph-headers";
import { type RouterArgs, type StubRequest, withRequestMeta } from "./http/stub-request";
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

export { CallOperations } from "./objects/call-operations";
export { CallRegistry } from "./objects/registry/call-registry";

const OPERATIONS = "/:version/communications/calls/:callId/operations";
const OPERATION = `${OPERATIONS}/:operationId`;

const router = Router<StubRequest, RouterArgs>({
	before: [withRequestMeta],
	catch: toErrorResponse,
	finally: [withGraphHeaders],
})
	.get("/_stub/health", health)
	.all("/_stub/health", methodNotAllowed("GET"))
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
	.all("/_stub/calls/:callId", methodNotAllowed("DELETE"))
	.post(OPERATIONS, createOperation)
	.get(OPERATIONS, listOperations)
	.all(OPERATIONS, methodNotAllowed("GET", "POST"))
	.get(OPERATION, getOperation)
	.patch(OPERATION, patchOperation)
	.delete(OPERATION, deleteOperation)
	.all(OPERATION, methodNotAllowed("GET", "PATCH", "DELETE"));
addCallRoutes(router); // the calls themselves, after the operations (whose paths they would also match)
router.all("*", notFound);

export default { fetch: router.fetch } satisfies ExportedHandler<Env>;
