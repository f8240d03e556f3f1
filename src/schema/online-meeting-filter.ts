import { badRequest } from "../http/graph-error";
import { fieldIssue, invalid } from "./validation-error";

// The `$filter` of the onlineMeeting lookups a calling bot uses (Graph's "Get onlineMeeting" page): one
// property, `eq`, one single-quoted OData string literal (a quote inside it doubled). Property names match
// in any letter case (the docs write both `JoinWebUrl` and `joinMeetingIdSettings/joinMeetingId`).

export type MeetingFilter =
	| { by: "joinWebUrl"; value: string }
	| { by: "joinMeetingId"; value: string }
	| { by: "videoTeleconferenceId"; value: string };

const PROPERTIES: Record<string, MeetingFilter["by"]> = {
	joinweburl: "joinWebUrl",
	"joinmeetingidsettings/joinmeetingid": "joinMeetingId",
	videoteleconferenceid: "videoTeleconferenceId",
};

const FORM = /^\s*([A-Za-z_/]+)\s+eq\s+'((?:[^']|'')*)'\s*$/i;
const MAX_FILTER = 4096;

/**
 * The lookup `$filter` names, if it is one of `allowed`; else a 400 naming `$filter` and what it may be.
 * No `$filter` at all is a 400 too (a calling bot's lookups always filter; listing a user's meetings is
 * not served).
 */
export function meetingFilter(filter: string | undefined, allowed: readonly MeetingFilter["by"][]): MeetingFilter {
	const forms = allowed.map((by) => `${DOC_NAMES[by]} eq '…'`).join(" or ");
	if (filter === undefined)
		throw badRequest(`The $filter query option is required here: ${forms}.`, [
			fieldIssue("$filter", `is required (${forms})`),
		]);
	const match = filter.length <= MAX_FILTER ? FORM.exec(filter) : null;
	const by = match ? PROPERTIES[(match[1] ?? "").toLowerCase()] : undefined;
	if (!match || by === undefined || !allowed.includes(by))
		throw invalid("query", [fieldIssue("$filter", `is not supported: use ${forms}`)]);
	const value = (match[2] ?? "").replaceAll("''", "'");
	if (value === "") throw invalid("query", [fieldIssue("$filter", `the ${DOC_NAMES[by]} literal must not be empty`)]);
	return { by, value };
}

const DOC_NAMES: Record<MeetingFilter["by"], string> = {
	joinWebUrl: "JoinWebUrl",
	joinMeetingId: "joinMeetingIdSettings/joinMeetingId",
	videoTeleconferenceId: "VideoTeleconferenceId",
};
