import * as v from "valibot";
import { PERSON_ACTIONS } from "../../meetings/participant-shape";
import { Participant } from "../../openapi/response-schemas";
import { NewMeetingBody, PersonBody } from "../../schema/meeting";
import type { Route, RouteDoc } from "../route";
import { liveMeeting } from "./live-meeting-socket";
import { listMeetings } from "./meeting-list";
import { createMeeting, deleteMeeting, getMeeting, personActs, personJoins, personLeaves } from "./stub-meetings";

// The meeting controls' rows of the one route table (src/routes/route-table.ts).

const MeetingView = v.looseObject({
	id: v.string(),
	joinMeetingId: v.nullable(v.string()),
	passcode: v.nullable(v.string()),
	chatInfo: v.looseObject({ threadId: v.string(), messageId: v.string() }),
	joinWebUrl: v.string(),
	tokenMeetingInfo: v.looseObject({ token: v.string() }),
	subject: v.nullable(v.string()),
	lobby: v.strictObject({ enabled: v.boolean(), bypass: v.string(), timeoutMs: v.number() }),
	maxParticipants: v.number(),
	maxCalls: v.number(),
	rosterSequenceNumber: v.number(),
	participants: v.array(Participant),
	calls: v.array(v.strictObject({ callId: v.string(), rosterSequenceNumber: v.number() })),
	/** How far the meeting's script has run (GET; POST answers before any step ran). */
	script: v.optional(
		v.strictObject({
			done: v.number(),
			pending: v.number(),
			skipped: v.array(v.strictObject({ index: v.number(), message: v.string() })),
		}),
	),
});

const doc = (
	summary: string,
	responses: RouteDoc["responses"],
	body?: RouteDoc["body"],
	query?: RouteDoc["query"],
): RouteDoc => ({
	summary,
	tag: "Stub: controls",
	responses,
	...(body ? { body } : {}),
	...(query ? { query } : {}),
});

const MEETING = "/_stub/meetings/:meetingId";
const PERSON = `${MEETING}/participants/:participantId`;

const MeetingSummaries = v.looseObject({
	value: v.array(
		v.strictObject({
			id: v.string(),
			joinMeetingId: v.nullable(v.string()),
			subject: v.nullable(v.string()),
			createdBy: v.picklist(["tester", "join"]),
			createdDateTime: v.string(),
			rosterSequenceNumber: v.number(),
			participantCount: v.number(),
			callCount: v.number(),
		}),
	),
	"@odata.nextLink": v.optional(v.string()),
});

export const MEETING_ROUTES: readonly Route[] = [
	{
		method: "GET",
		path: "/_stub/meetings",
		handler: listMeetings,
		doc: doc("Stub: the namespace's meetings, newest first ($top, @odata.nextLink)", {
			200: { description: "One page of meetings.", json: MeetingSummaries },
		}),
	},
	{
		method: "POST",
		path: "/_stub/meetings",
		handler: createMeeting,
		doc: doc(
			"Stub: a meeting (joinMeetingId, passcode, lobby, the people already in it)",
			{ 201: { description: "The meeting, with its chatInfo, joinWebUrl and token.", json: MeetingView } },
			{ json: NewMeetingBody, required: true, name: "StubNewMeetingBody" },
		),
	},
	{
		method: "GET",
		path: MEETING,
		handler: getMeeting,
		doc: doc("Stub: a meeting, its roster and the calls joined to it", {
			200: { description: "The meeting.", json: MeetingView },
		}),
	},
	{
		method: "GET",
		path: `${MEETING}/live`,
		handler: liveMeeting,
		doc: doc(
			"The meeting's roster, live: a WebSocket (the token in the header or as `access_token`); each message is the roster, the joined calls and the newest 100 roster changes in words",
			{ 101: { description: "Switching to the WebSocket." } },
			undefined,
			["access_token"],
		),
	},
	{
		method: "DELETE",
		path: MEETING,
		handler: deleteMeeting,
		doc: doc("Stub: the meeting ends, and every call joined to it", { 204: { description: "Gone." } }),
	},
	{
		method: "POST",
		path: `${MEETING}/participants`,
		handler: personJoins,
		doc: doc(
			"Stub: someone joins the meeting, with the streams they send",
			{ 201: { description: "Their participant.", json: Participant } },
			{ json: PersonBody, required: true, name: "StubMeetingPersonBody" },
		),
	},
	{
		method: "DELETE",
		path: PERSON,
		handler: personLeaves,
		doc: doc("Stub: someone leaves the meeting (by participant id or key)", { 204: { description: "Gone." } }),
	},
	...PERSON_ACTIONS.map(
		(action): Route => ({
			method: "POST",
			path: `${PERSON}/${action}`,
			handler: personActs(action),
			doc: doc(`Stub: someone in the meeting does ${action}`, {
				200: { description: "Their participant as changed.", json: Participant },
			}),
		}),
	),
];
