import { callerNamespace } from "../../calls/call-object";
import { GraphError } from "../../http/graph-error";
import { readJsonObject } from "../../http/read-json-object";
import { noContent } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { listedMeeting } from "../../meetings/listed-meeting";
import { meetingIdForJoinId, meetingObject, newJoinMeetingId, threadOf } from "../../meetings/meeting-identity";
import type { PersonAction } from "../../meetings/participant-shape";
import { type MeetingOutcome, noMeeting } from "../../objects/meeting/meeting-outcome";
import {
	DEFAULT_LOBBY_TIMEOUT_MS,
	DEFAULT_MAX_CALLS,
	DEFAULT_MAX_PARTICIPANTS,
	newMeetingSettings,
} from "../../objects/meeting/meeting-store";
import { parseNewMeeting, parsePerson } from "../../schema/meeting";
import { meetingParticipantPath, meetingPath } from "../../schema/path-params";
import { settingsOf } from "../../settings/settings";

// The meeting controls (stub extensions): a tester makes a meeting, reads it, ends it, and plays its far
// side (people join, leave, mute, show video, share their screen). Always within the caller's namespace:
// a meeting's object is named by the namespace, so another namespace's meetings cannot be reached.

/** The value of the meeting's answer, or the Graph error its refusal stands for. */
export function meetingAnswer<T>(outcome: MeetingOutcome<T>): T {
	if (outcome.ok) return outcome.value;
	switch (outcome.error) {
		case "meetingNotFound":
			throw new GraphError(404, "itemNotFound", "Meeting not found.");
		case "participantNotFound":
			throw new GraphError(404, "itemNotFound", "Participant not found in this meeting.");
		case "conflict":
			throw new GraphError(409, "Conflict", outcome.message);
		case "invalid":
			throw new GraphError(400, "BadRequest", outcome.message);
		case "namespaceFull":
			throw new GraphError(403, "QuotaLimitReached", outcome.message);
	}
}

const meetingUrl = (origin: string, id: string) => `${origin}/_stub/meetings/${encodeURIComponent(id)}`;

async function meetingOf(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { meetingId } = meetingPath(request.params);
	return existingMeeting(env, namespace, meetingId);
}

/** A tester's meeting by its id, or the 404 of a meeting nobody made (no object is named for it). */
export async function existingMeeting(env: Env, namespace: string, meetingId: string) {
	return (await listedMeeting(env, namespace, threadOf(meetingId))) ?? meetingAnswer<never>(noMeeting());
}

/** POST /_stub/meetings: a meeting (joinMeetingId, passcode, lobby, the people already in it). */
export async function createMeeting(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const body = parseNewMeeting(await readJsonObject(request, settingsOf(env).maxBodyBytes));
	const joinMeetingId = body.joinMeetingId ?? newJoinMeetingId();
	const id = await meetingIdForJoinId(joinMeetingId);
	const threadId = threadOf(id);
	const settings = newMeetingSettings({
		id,
		threadId,
		createdBy: "tester",
		joinMeetingId,
		passcode: body.passcode ?? null,
		subject: body.subject ?? null,
		organizer: body.organizer ?? null,
		tenantId: body.tenantId ?? null,
		lobby: {
			enabled: body.lobby?.enabled ?? false,
			bypass: body.lobby?.bypass ?? "organization",
			timeoutMs: body.lobby?.timeoutMs ?? DEFAULT_LOBBY_TIMEOUT_MS,
		},
		maxParticipants: body.maxParticipants ?? DEFAULT_MAX_PARTICIPANTS,
		maxCalls: body.maxCalls ?? DEFAULT_MAX_CALLS,
	});
	const made = meetingAnswer(
		await meetingObject(env, namespace, threadId).create(
			settings,
			body.participants ?? [],
			body.script ?? [],
			body.scriptStartsWhen ?? "created",
		),
	);
	return Response.json(made, { status: 201, headers: { Location: meetingUrl(request.meta.origin, id) } });
}

export async function getMeeting(request: StubRequest, env: Env) {
	return Response.json(meetingAnswer(await (await meetingOf(request, env)).view()));
}

/** DELETE /_stub/meetings/{id}: the meeting ends, and every call joined to it (200/5020, *inferred*). */
export async function deleteMeeting(request: StubRequest, env: Env) {
	meetingAnswer(await (await meetingOf(request, env)).remove());
	return noContent();
}

/** POST /_stub/meetings/{id}/participants: someone joins, with the streams they send. */
export async function personJoins(request: StubRequest, env: Env) {
	const meeting = await meetingOf(request, env);
	const person = parsePerson(await readJsonObject(request, settingsOf(env).maxBodyBytes));
	return Response.json(meetingAnswer(await meeting.join(person)), { status: 201 });
}

async function participantOf(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { meetingId, participantId } = meetingParticipantPath(request.params);
	const meeting = await existingMeeting(env, namespace, meetingId);
	return { meeting, participantId };
}

/** DELETE /_stub/meetings/{id}/participants/{pid or key}: someone leaves. */
export async function personLeaves(request: StubRequest, env: Env) {
	const { meeting, participantId } = await participantOf(request, env);
	meetingAnswer(await meeting.leave(participantId));
	return noContent();
}

/** POST /_stub/meetings/{id}/participants/{pid or key}/{action}: mute, unmute, startVideo … */
export const personActs = (action: PersonAction) => async (request: StubRequest, env: Env) => {
	const { meeting, participantId } = await participantOf(request, env);
	return Response.json(meetingAnswer(await meeting.act(participantId, action)));
};
