import { meetingFromName, meetingIdOf } from "../../meetings/meeting-identity";
import { callSummary } from "../call/call-machine";
import { meetingLink } from "../call/meeting-link";
import { deliveryJournal, lowerCamel } from "../notifications/outbox";
import type { FaultScreen } from "../simulation/fault-screen";
import type { LoggedRequest } from "./request-log";

// What the live page shows of one call, read in one synchronous step (no await: nothing can wipe the
// store halfway through). Notifications carry every operation status change and call-state and roster
// change the bot was told about; each lists its delivery attempts.

export type Timeline = {
	callId: string;
	/** false: no such call (never began, reset or expired); a configured call may still show faults. */
	exists: boolean;
	call?: { state: string; direction: string };
	/** The meeting the call joined: the page shows its roster over time (GET /_stub/meetings/{id}/live). */
	meetingId?: string;
	participants: unknown[];
	operations: { id: string; type: string; status: string }[];
	requests: readonly LoggedRequest[];
	notifications: ReturnType<typeof deliveryJournal>;
	journal: ReturnType<FaultScreen["journal"]>;
};

const MAX_OPERATIONS_SHOWN = 100;

export function readTimeline(
	sql: SqlStorage,
	callId: string,
	exists: boolean,
	requests: readonly LoggedRequest[],
	journal: () => Timeline["journal"],
): Timeline {
	const operations = sql
		.exec<{ body: string }>("SELECT body FROM operations ORDER BY seq LIMIT ?", MAX_OPERATIONS_SHOWN)
		.toArray()
		.map(({ body }) => {
			const operation = JSON.parse(body) as Record<string, unknown>;
			return {
				id: String(operation.id),
				type: String(operation["@odata.type"] ?? "#microsoft.graph.commsOperation"),
				// As notifications spell it (`running`), whatever casing the synchronous answer had (`Running`).
				status: lowerCamel(String(operation.status)),
			};
		});
	const participants = sql
		.exec<{ body: string }>("SELECT body FROM call_participants ORDER BY seq")
		.toArray()
		.map(({ body }) => JSON.parse(body) as unknown);
	const call = callSummary(sql);
	const link = meetingLink(sql);
	return {
		callId,
		exists,
		...(call ? { call } : {}),
		...(link ? { meetingId: meetingIdOf(meetingFromName(link.meetingName).threadId) } : {}),
		participants,
		operations,
		requests,
		notifications: deliveryJournal(sql),
		journal: journal(),
	};
}

export const noCall = (callId: string, requests: readonly LoggedRequest[]): Timeline => ({
	callId,
	exists: false,
	participants: [],
	operations: [],
	requests,
	notifications: [],
	journal: [],
});
