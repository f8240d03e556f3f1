import { registryObject } from "../calls/call-object";
import { meetingIdOf, meetingObject } from "./meeting-identity";

// A meeting reached by an id a request names (a tester's control, a lookup, a join by joinMeetingId or
// token) is asked for only when the namespace's registry lists it: an id nobody made never names a
// Durable Object, so junk ids make no objects and no storage (as with recording URLs).

/** The namespace's meeting of this chat thread, or undefined when no such meeting was made. */
export async function listedMeeting(env: Env, namespace: string, threadId: string) {
	if (!(await registryObject(env, namespace).hasMeeting(meetingIdOf(threadId)))) return undefined;
	return meetingObject(env, namespace, threadId);
}
