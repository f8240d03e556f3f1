import type { StubRequest } from "../../http/stub-request";
import { meetingObject, threadOf } from "../../meetings/meeting-identity";
import { meetingPath } from "../../schema/path-params";
import { socketNamespace, switched } from "./socket-caller";

/**
 * GET /_stub/meetings/{id}/live: the live page's WebSocket to one meeting's object, which pushes the
 * roster, the joined calls and the roster's history at once and on every change
 * (src/objects/meeting/meeting-live.ts). A meeting not made yet (or ended) shows as none until it is.
 */
export async function liveMeeting(request: StubRequest, env: Env) {
	const namespace = await socketNamespace(request, env);
	const { meetingId } = meetingPath(request.params);
	const meeting = meetingObject(env, namespace, threadOf(meetingId));
	return switched(await meeting.fetch(request.url, { headers: { Upgrade: "websocket" } }));
}
