import { version } from "../../../package.json";
import { backoffMs, type OutboxRow, outboxHead } from "./outbox";

export type DeliverySettings = {
	callbackUri: string | undefined;
	callbackToken: string | undefined;
	scenarioId: string;
	timeoutMs: number;
	maxAttempts: number;
	backoffBaseMs: number;
};

type Result = { status: number | null; error: string | null };

async function post(settings: DeliverySettings, notification: OutboxRow): Promise<Result> {
	// A call's own notifications go where the call said (its callbackUri); an operation's where configured.
	const callbackUri = notification.callback_uri ?? settings.callbackUri;
	if (!callbackUri) return { status: null, error: "no callbackUri is configured" };
	try {
		const response = await fetch(callbackUri, {
			method: "POST",
			headers: {
				"Content-Type": "application/json",
				"User-Agent": `graph-comms-stub/${version}`,
				"Scenario-ID": settings.scenarioId,
				"client-request-id": crypto.randomUUID(),
				"x-stub-notification-sequence": String(notification.id),
				...(settings.callbackToken ? { Authorization: `Bearer ${settings.callbackToken}` } : {}),
			},
			body: notification.payload,
			signal: AbortSignal.timeout(settings.timeoutMs),
		});
		await response.body?.cancel();
		return { status: response.status, error: response.ok ? null : `HTTP ${response.status}` };
	} catch (error) {
		const timedOut = error instanceof Error && error.name === "TimeoutError";
		return { status: null, error: timedOut ? `no answer within ${settings.timeoutMs} ms` : String(error) };
	}
}

/**
 * Delivers the outbox head while it is due, one notification at a time (a later one never overtakes an
 * earlier one that is neither acknowledged nor parked). Returns when to come back, or undefined.
 */
export async function deliverDue(sql: SqlStorage, settings: DeliverySettings, limit = 25): Promise<number | undefined> {
	for (let delivered = 0; delivered < limit; delivered++) {
		const head = outboxHead(sql);
		if (!head) return undefined;
		if (head.next_attempt_at > Date.now()) return head.next_attempt_at;
		const attempt = head.attempts + 1;
		const result = await post(settings, head);
		sql.exec(
			"INSERT INTO delivery_attempts (notification_id, attempt, at, status, error) VALUES (?, ?, ?, ?, ?)",
			head.id,
			attempt,
			new Date().toISOString(),
			result.status,
			result.error,
		);
		const acknowledged = result.status !== null && result.status >= 200 && result.status < 300;
		const state = acknowledged ? "delivered" : attempt >= settings.maxAttempts ? "failed" : "pending";
		const next = Date.now() + backoffMs(attempt, settings.backoffBaseMs, Math.random());
		sql.exec(
			"UPDATE outbox SET attempts = ?, state = ?, next_attempt_at = ? WHERE id = ?",
			attempt,
			state,
			next,
			head.id,
		);
	}
	return Date.now();
}
