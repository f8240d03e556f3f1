import * as v from "valibot";
import { callerNamespace } from "../../calls/call-object";
import { literal } from "../../calls/odata-urls";
import { GraphError } from "../../http/graph-error";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { listedMeeting } from "../../meetings/listed-meeting";
import { meetingIdForJoinId, threadOf } from "../../meetings/meeting-identity";
import { onlineMeeting, threadOfJoinWebUrl, threadOfOnlineMeetingId } from "../../meetings/online-meeting";
import type { MeetingOutcome } from "../../objects/meeting/meeting-outcome";
import type { MeetingView } from "../../objects/meeting/meeting-view";
import type { ApiVersion } from "../../schema/api-version";
import { type MeetingFilter, meetingFilter } from "../../schema/online-meeting-filter";
import { onlineMeetingsPath } from "../../schema/path-params";
import { readOptions } from "../../schema/query-options";
import { versionView } from "../../schema/version-view";

// The onlineMeeting lookups a calling bot makes before it joins (Graph's "Get onlineMeeting"): by
// JoinWebUrl or joinMeetingId under a user (or /me), by id, and /communications/onlineMeetings by
// VideoTeleconferenceId. They find the meetings a tester made (POST /_stub/meetings) in the caller's
// namespace only: a meeting's object is named by the namespace and its chat thread, and every lookup
// leads to the thread without an index (the joinWebUrl names it, the meeting's GUID derives from the
// joinMeetingId, the id encodes it).

/** The collection's `@odata.context`, per the path it was read through. */
function collectionContext(request: StubRequest, version: ApiVersion, userId: string | undefined) {
	const owner = request.meta.path.includes("/communications/onlineMeetings")
		? "communications"
		: userId === undefined
			? "me"
			: `users('${literal(userId)}')`;
	return `${request.meta.origin}/${version}/$metadata#${owner}/onlineMeetings`;
}

/** The namespace's meeting of a chat thread, if a tester made one (undefined also for a thread no meeting has). */
async function meetingOfThread(env: Env, namespace: string, threadId: string | undefined) {
	if (threadId === undefined || !/^19:.+@thread\.(v2|skype|tacv2)$/.test(threadId)) return undefined;
	// The RPC stub's type of the view is lost to the roster's open participant type: the view is plain data.
	const meeting = await listedMeeting(env, namespace, threadId);
	if (!meeting) return undefined;
	const outcome = (await meeting.view()) as MeetingOutcome<MeetingView>;
	return outcome.ok ? outcome.value : undefined;
}

async function matching(env: Env, namespace: string, filter: MeetingFilter): Promise<MeetingView | undefined> {
	switch (filter.by) {
		case "joinWebUrl":
			return meetingOfThread(env, namespace, threadOfJoinWebUrl(filter.value));
		case "joinMeetingId": {
			if (!/^\d{1,20}$/.test(filter.value)) return undefined;
			const found = await meetingOfThread(env, namespace, threadOf(await meetingIdForJoinId(filter.value)));
			return found?.joinMeetingId === filter.value ? found : undefined;
		}
		case "videoTeleconferenceId":
			return undefined; // a stub meeting has none (no Cloud Video Interop)
	}
}

const served = (meeting: MeetingView, version: ApiVersion) => versionView(onlineMeeting(meeting), version);

/**
 * GET …/users/{userId}/onlineMeetings?$filter=…, …/me/onlineMeetings?$filter=…: a collection of the one
 * meeting the filter names, or none (*inferred*: an empty collection, not 404).
 */
export async function findOnlineMeetings(request: StubRequest, env: Env) {
	const { version, userId } = onlineMeetingsPath(request.params);
	const options = readOptions(request.meta.search, version, ["$filter"]);
	const byCommunications = request.meta.path.includes("/communications/onlineMeetings");
	const filter = meetingFilter(
		options.$filter,
		byCommunications ? ["videoTeleconferenceId"] : ["joinWebUrl", "joinMeetingId"],
	);
	const namespace = await callerNamespace(request, env);
	const found = await matching(env, namespace, filter);
	const value = found ? [served(found, version)] : [];
	return odataJson(JSON.stringify({ "@odata.context": collectionContext(request, version, userId), value }));
}

/** GET …/users/{userId}/onlineMeetings/{id}, …/me/onlineMeetings/{id}: the meeting, or 404. */
export async function getOnlineMeeting(request: StubRequest, env: Env) {
	const { version, userId, meetingId = "" } = onlineMeetingsPath(request.params);
	readOptions(request.meta.search, version, []);
	const namespace = await callerNamespace(request, env);
	const found = await meetingOfThread(env, namespace, threadOfOnlineMeetingId(meetingId));
	const meeting = found && served(found, version);
	// The base64 id must be this meeting's (it names the organizer too); the older `{oid}_{thread}` form names the thread only.
	if (!meeting || (meeting.id !== meetingId && !meetingId.includes("_19:")))
		throw new GraphError(404, "itemNotFound", "The online meeting was not found.");
	const context = `${collectionContext(request, version, userId)}/$entity`;
	return odataJson(JSON.stringify({ "@odata.context": context, ...meeting }));
}

export const OnlineMeetingView = v.looseObject({
	id: v.string(),
	joinWebUrl: v.string(),
	chatInfo: v.looseObject({ threadId: v.string(), messageId: v.string() }),
	joinMeetingIdSettings: v.nullable(
		v.looseObject({ isPasscodeRequired: v.boolean(), joinMeetingId: v.string(), passcode: v.nullable(v.string()) }),
	),
	participants: v.looseObject({ organizer: v.nullable(v.looseObject({ identity: v.looseObject({}) })) }),
});
