import { Router } from "itty-router";
import { toErrorResponse } from "./http/error-response";
import { withGraphHeaders } from "./http/graph-headers";
import { type RouterArgs, type StubRequest, withRequestMeta } from "./http/stub-request";
import { createOperation } from "./routes/create-operation";
import { methodNotAllowed, notFound } from "./routes/fallbacks";
import { health } from "./routes/health";

export { CallOperations } from "./objects/call-operations";
export { CallRegistry } from "./objects/call-registry";

const OPERATIONS = "/:version/communications/calls/:callId/operations";

const router = Router<StubRequest, RouterArgs>({
	before: [withRequestMeta],
	catch: toErrorResponse,
	finally: [withGraphHeaders],
})
	.get("/_stub/health", health)
	.all("/_stub/health", methodNotAllowed("GET"))
	.post(OPERATIONS, createOperation)
	.all(OPERATIONS, methodNotAllowed("GET", "POST"))
	.all("*", notFound);

export default { fetch: router.fetch } satisfies ExportedHandler<Env>;
