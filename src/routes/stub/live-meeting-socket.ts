import type { StubRequest } from "../../http/stub-request";
import { meetingPath } from "../../schema/path-params";
import { socketNamespace, switched } from "./socket-caller";
import { existingMeeting } from "./stub-meetings";

/**
 * GET /_stub/meetings/{id}/live: the live page's WebSocket to one meeting's object, which pushes the
 * roster, the joined calls and the roster's history at once and on every change
 * (src/objects/meeting/meeting-live.ts). Only a meeting that exists is watched (an id nobody made names no
 * object: 404); one deleted while watched shows as none, and again if it is made again.
 */
export async function liveMeeting(request: StubRequest, env: Env) {
	const namespace = await socketNamespace(request, env);
	const { meetingId } = meetingPath(request.params);
	const meeting = await existingMeeting(env, namespace, meetingId);
	return switched(await meeting.fetch(request.url, { headers: { Upgrade: "websocket" } }));
}
