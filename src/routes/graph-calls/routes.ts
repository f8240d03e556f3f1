import type { RouterType } from "itty-router";
import type { RouterArgs, StubRequest } from "../../http/stub-request";
import { ACTION_ROUTES } from "../../schema/fault-plan";
import { methodNotAllowed } from "../fallbacks";
import { CALL_ACTIONS, callActionHandler } from "./call-actions";
import { getCall, hangUp } from "./call-item";
import { createCall } from "./create-call";
import { OPERATION_ACTIONS, operationActionHandler } from "./operation-actions";
import { deleteParticipant, getParticipant, listParticipants } from "./participants";
import { farHangUp, startIncomingCall } from "./stub-call-controls";
import { changeRoster, getRecording, pressTones, supplyRecording } from "./stub-media-controls";

// Graph's calls under /communications/calls and the legacy /app/calls alias; each action also under its
// namespace-qualified name (`…/microsoft.graph.answer`).
const CALL_COLLECTIONS = ["/:version/communications/calls", "/:version/app/calls"];
const ACTION_PREFIXES = ["", "microsoft.graph."];

export function addCallRoutes(router: RouterType<StubRequest, RouterArgs>) {
	router
		.post("/_stub/incoming-calls", startIncomingCall)
		.all("/_stub/incoming-calls", methodNotAllowed("POST"))
		.post("/_stub/calls/:callId/hangup", farHangUp)
		.all("/_stub/calls/:callId/hangup", methodNotAllowed("POST"))
		.post("/_stub/calls/:callId/tones", pressTones)
		.all("/_stub/calls/:callId/tones", methodNotAllowed("POST"))
		.post("/_stub/calls/:callId/roster", changeRoster)
		.all("/_stub/calls/:callId/roster", methodNotAllowed("POST"))
		.put("/_stub/calls/:callId/recording", supplyRecording)
		.all("/_stub/calls/:callId/recording", methodNotAllowed("PUT"))
		.get("/_stub/recordings/:key", getRecording)
		.all("/_stub/recordings/:key", methodNotAllowed("GET"));
	for (const calls of CALL_COLLECTIONS) {
		router.post(calls, createCall).all(calls, methodNotAllowed("POST"));
		router.get(`${calls}/:callId`, getCall).delete(`${calls}/:callId`, hangUp);
		router.all(`${calls}/:callId`, methodNotAllowed("GET", "DELETE"));
		addOperationActionRoutes(router, calls);
		router.get(`${calls}/:callId/participants`, listParticipants);
		router.all(`${calls}/:callId/participants`, methodNotAllowed("GET"));
		router.get(`${calls}/:callId/participants/:participantId`, getParticipant);
		router.delete(`${calls}/:callId/participants/:participantId`, deleteParticipant);
		router.all(`${calls}/:callId/participants/:participantId`, methodNotAllowed("GET", "DELETE"));
		for (const name of Object.keys(CALL_ACTIONS))
			for (const prefix of ACTION_PREFIXES) {
				const path = `${calls}/:callId/${prefix}${name}`;
				router.post(path, callActionHandler(name)).all(path, methodNotAllowed("POST"));
			}
	}
}

/** Each operation-making action (OPERATION_ACTIONS), short and namespace-qualified: one handler for all. */
function addOperationActionRoutes(router: RouterType<StubRequest, RouterArgs>, calls: string) {
	for (const name of ACTION_ROUTES) {
		const path = OPERATION_ACTIONS[name].path;
		const slash = path.lastIndexOf("/");
		for (const prefix of ACTION_PREFIXES) {
			const full = `${calls}/:callId/${path.slice(0, slash + 1)}${prefix}${path.slice(slash + 1)}`;
			router.post(full, operationActionHandler(name)).all(full, methodNotAllowed("POST"));
		}
	}
}
