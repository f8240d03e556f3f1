import { callRecordOf } from "../../calls/call-record";
import type { MeetingOutcome } from "../meeting/meeting-outcome";
import type { MeetingView } from "../meeting/meeting-view";
import type { CallRegistry } from "../registry/call-registry";
import { callToRecord, unmarkFiled } from "./record-filing";
import { queueRecordNotice } from "./record-notice";

type Filing = {
	registry: DurableObjectStub<CallRegistry>;
	meetings: Env["MEETINGS"];
	delayMs: number;
	/** `callRecords.notificationUrl`: where a notice of the record goes when it becomes readable. */
	notificationUrl: string | undefined;
	/** Asked after every await: a call reset or expired meanwhile writes nothing more. */
	isCurrent: () => boolean;
};

/**
 * Files an ended call's record, once: taken (and marked) in one transaction; a meeting call first reads
 * its meeting's join URL and organizer; then the registry keeps it, readable `delayMs` after now. A
 * failure is logged and unmarked, so the call's next step (or alarm) tries again. Answers when a queued
 * notice of the record is due (the call's alarm must wake then), if one was queued.
 */
export async function fileCallRecord(
	sql: SqlStorage,
	storage: DurableObjectStorage,
	filing: Filing,
): Promise<number | undefined> {
	const taken = storage.transactionSync(() => callToRecord(sql));
	if (!taken) return undefined;
	try {
		const { facts, meetingName } = taken;
		if (facts.meeting && meetingName) {
			// The view's RPC type is lost to the roster's open participant type: it is plain data.
			const view = (await filing.meetings.getByName(meetingName).view()) as MeetingOutcome<MeetingView>;
			if (view.ok) Object.assign(facts.meeting, { joinWebUrl: view.value.joinWebUrl, organizer: view.value.organizer });
		}
		const nowMs = Date.now();
		const availableAt = nowMs + filing.delayMs;
		await filing.registry.fileCallRecord(callRecordOf(facts, new Date(nowMs).toISOString()), availableAt);
		if (!filing.isCurrent() || filing.notificationUrl === undefined) return undefined;
		const tenantId = typeof facts.document.tenantId === "string" ? facts.document.tenantId : null;
		queueRecordNotice(sql, facts.callChainId, tenantId, filing.notificationUrl, availableAt);
		return availableAt;
	} catch (error) {
		console.error("a call record could not be filed", error);
		if (filing.isCurrent()) unmarkFiled(sql);
		return undefined;
	}
}
