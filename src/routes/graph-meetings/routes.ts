import * as v from "valibot";
import type { Route, RouteDoc } from "../route";
import { CallRecordView, getCallRecord } from "./call-records";
import { findOnlineMeetings, getOnlineMeeting, OnlineMeetingView } from "./online-meetings";

// The rows of the one route table (src/routes/route-table.ts) for what a calling bot reads around its
// calls: the onlineMeeting lookups, and a call's record after it ended.

const doc = (summary: string, responses: RouteDoc["responses"], query?: readonly string[]): RouteDoc => ({
	summary,
	tag: "Graph: calls",
	responses,
	...(query ? { query } : {}),
});

const Collection = v.strictObject({ "@odata.context": v.string(), value: v.array(OnlineMeetingView) });
const found = { 200: { description: "The meeting the filter names, or none.", json: Collection } };
const one = { 200: { description: "The meeting.", json: OnlineMeetingView } };

export const ONLINE_MEETING_ROUTES: readonly Route[] = [
	{
		method: "GET",
		path: "/:version/users/:userId/onlineMeetings",
		handler: findOnlineMeetings,
		doc: doc("Find a meeting by `JoinWebUrl eq '…'` or `joinMeetingIdSettings/joinMeetingId eq '…'`", found, [
			"$filter",
		]),
	},
	{
		method: "GET",
		path: "/:version/users/:userId/onlineMeetings/:meetingId",
		handler: getOnlineMeeting,
		doc: doc("Get a meeting by its id", one),
	},
	{
		method: "GET",
		path: "/:version/me/onlineMeetings",
		handler: findOnlineMeetings,
		doc: doc("Find a meeting (delegated form of the users/{userId} lookup)", found, ["$filter"]),
	},
	{
		method: "GET",
		path: "/:version/me/onlineMeetings/:meetingId",
		handler: getOnlineMeeting,
		doc: doc("Get a meeting by its id (delegated form)", one),
	},
	{
		method: "GET",
		path: "/:version/communications/onlineMeetings",
		handler: findOnlineMeetings,
		doc: doc("Find a meeting by `VideoTeleconferenceId eq '…'` (stub meetings have none)", found, ["$filter"]),
	},
];

export const CALL_RECORD_ROUTES: readonly Route[] = [
	{
		method: "GET",
		path: "/:version/communications/callRecords/:recordId",
		handler: getCallRecord,
		doc: doc(
			"Get an ended call's record by its callChainId (readable `callRecords.delayMs` after the call ended, for the call TTL)",
			{ 200: { description: "The callRecord.", json: CallRecordView } },
			["$expand"],
		),
	},
];
