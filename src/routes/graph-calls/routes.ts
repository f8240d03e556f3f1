import type { RouterType } from "itty-router";
import type { RouterArgs, StubRequest } from "../../http/stub-request";
import { methodNotAllowed } from "../fallbacks";
import { CALL_ACTIONS, callActionHandler } from "./call-actions";
import { getCall, hangUp } from "./call-item";
import { createCall } from "./create-call";
import { farHangUp, startIncomingCall } from "./stub-call-controls";

// Graph's calls under /communications/calls and the legacy /app/calls alias; each action also under its
// namespace-qualified name (`…/microsoft.graph.answer`).
const CALL_COLLECTIONS = ["/:version/communications/calls", "/:version/app/calls"];
const ACTION_PREFIXES = ["", "microsoft.graph."];

export function addCallRoutes(router: RouterType<StubRequest, RouterArgs>) {
	router
		.post("/_stub/incoming-calls", startIncomingCall)
		.all("/_stub/incoming-calls", methodNotAllowed("POST"))
		.post("/_stub/calls/:callId/hangup", farHangUp)
		.all("/_stub/calls/:callId/hangup", methodNotAllowed("POST"));
	for (const calls of CALL_COLLECTIONS) {
		router.post(calls, createCall).all(calls, methodNotAllowed("POST"));
		router.get(`${calls}/:callId`, getCall).delete(`${calls}/:callId`, hangUp);
		router.all(`${calls}/:callId`, methodNotAllowed("GET", "DELETE"));
		for (const name of Object.keys(CALL_ACTIONS))
			for (const prefix of ACTION_PREFIXES) {
				const path = `${calls}/:callId/${prefix}${name}`;
				router.post(path, callActionHandler(name)).all(path, methodNotAllowed("POST"));
			}
	}
}
