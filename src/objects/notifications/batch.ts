import type { OutboxRow } from "./outbox";

/** What one POST carries: one notification, or (when the configuration batches) several in one `value`. */
export type NotificationBatch = {
	rows: OutboxRow[];
	/** The rows' own callbackUri (a call's notifications), or null: the configured one (an operation's). */
	callbackUri: string | null;
	payload: string;
	/** `x-stub-notification-sequence`: the rows' numbers, comma-separated. */
	sequences: string;
};

/**
 * The due head of the queue and, up to `limit`, the pending notifications right behind it that are due
 * too and go to the same place: order is kept, since a batch is always a run from the head.
 */
export function dueBatch(sql: SqlStorage, head: OutboxRow, limit: number, nowMs: number): NotificationBatch {
	const rows = [head];
	if (limit > 1) {
		const behind = sql
			.exec<OutboxRow>(
				"SELECT * FROM outbox WHERE state = 'pending' AND id > ? ORDER BY id LIMIT ?",
				head.id,
				limit - 1,
			)
			.toArray();
		for (const row of behind) {
			if (row.next_attempt_at > nowMs || row.callback_uri !== head.callback_uri) break;
			rows.push(row);
		}
	}
	return {
		rows,
		callbackUri: head.callback_uri,
		payload: rows.length === 1 ? head.payload : joinedPayload(rows),
		sequences: rows.map((row) => row.id).join(","),
	};
}

type Envelope = { value: unknown[] };

/** One commsNotifications envelope holding every row's notifications, in order. */
function joinedPayload(rows: OutboxRow[]): string {
	const [first, ...rest] = rows.map((row) => JSON.parse(row.payload) as Envelope);
	if (!first) return "";
	return JSON.stringify({ ...first, value: [...first.value, ...rest.flatMap((envelope) => envelope.value)] });
}
