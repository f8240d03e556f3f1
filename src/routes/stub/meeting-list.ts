import { callerNamespace, registryObject } from "../../calls/call-object";
import type { StubRequest } from "../../http/stub-request";
import { meetingObject, threadOf } from "../../meetings/meeting-identity";
import type { MeetingOutcome } from "../../objects/meeting/meeting-outcome";
import type { MeetingView } from "../../objects/meeting/meeting-view";
import { callsQuery } from "../../schema/query-options";
import { listPage, pageStart } from "./registry-list";

// GET /_stub/meetings: the caller's meetings, newest first, paged as /_stub/calls is.

/** What binds a `$skiptoken` of /_stub/meetings to the namespace (never valid for /_stub/calls, nor the reverse). */
const listKey = (namespace: string) => JSON.stringify([namespace, "meetings"]);

const summary = (view: MeetingView) => ({
	id: view.id,
	joinMeetingId: view.joinMeetingId,
	subject: view.subject,
	createdBy: view.createdBy,
	createdDateTime: view.createdDateTime,
	rosterSequenceNumber: view.rosterSequenceNumber,
	participantCount: view.participants.length,
	callCount: view.calls.length,
});
type MeetingSummary = ReturnType<typeof summary>;

/**
 * One page of the caller's meetings: the registry's page (one key range, O(page)), then each meeting's own
 * summary. A meeting deleted or expired between the two is left out (its object answers that it has none).
 */
export async function listMeetings(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { top, skipToken } = callsQuery(request.meta.search);
	const key = listKey(namespace);
	const page = await registryObject(env, namespace).meetingPage(await pageStart(key, skipToken), top);
	const views = await Promise.all(
		page.meetings.map(({ meetingId }) => meetingObject(env, namespace, threadOf(meetingId)).view()),
	);
	const value: MeetingSummary[] = [];
	for (const view of views as MeetingOutcome<MeetingView>[]) if (view.ok) value.push(summary(view.value));
	const lastSeq = page.meetings.at(-1)?.seq;
	return listPage(request, { key, path: "/_stub/meetings", top }, { ...page, lastSeq }, value);
}
