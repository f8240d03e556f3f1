import { enqueue } from "../notifications/outbox";

// The notification announcing a call record (*inferred*: Graph announces records to a change-notification
// subscription on /communications/callRecords, which the stub has no API for; a configured
// `callRecords.notificationUrl` stands in for it). Queued in the call's own outbox, due when the record
// becomes readable, so it goes through the same signed delivery, retries and journal as the call's others.

const callRecordResourceUrl = (id: string) => `/communications/callRecords/${encodeURIComponent(id)}`;

/** Graph's change-notification shape for a new call record (the resourceData names only its id). */
function recordNoticePayload(id: string, tenantId: string | null): string {
	const resource = `communications/callRecords/${id}`;
	return JSON.stringify({
		value: [
			{
				subscriptionId: "stub-callRecords",
				subscriptionExpirationDateTime: null,
				changeType: "created",
				resource,
				clientState: null,
				tenantId,
				resourceData: {
					"@odata.type": "#microsoft.graph.callrecord",
					"@odata.id": resource,
					"@odata.etag": null,
					id,
				},
			},
		],
	});
}

/** Queues the notice to `url`, due at `dueMs` (when the record becomes readable). */
export function queueRecordNotice(sql: SqlStorage, id: string, tenantId: string | null, url: string, dueMs: number) {
	const row = {
		operationId: "",
		changeType: "created",
		payload: recordNoticePayload(id, tenantId),
		resourceUrl: callRecordResourceUrl(id),
		callbackUri: url,
	};
	enqueue(sql, row, dueMs, new Date().toISOString());
}
