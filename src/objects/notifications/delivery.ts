import { dueBatch, type NotificationBatch } from "./batch";
import { type Answer, followsRedirects, postFollowing } from "./follow-redirects";
import { backoffMs, outboxHead } from "./outbox";

export type DeliverySettings = {
	callbackUri: string | undefined;
	callbackToken: string | undefined;
	scenarioId: string;
	userAgent: string;
	/** How many due notifications one POST may carry (1: no batching). */
	batchLimit: number;
	timeoutMs: number;
	maxAttempts: number;
	backoffBaseMs: number;
	/** Why a callbackUri may not (or no longer: CALLBACK_HOSTS changed) receive notifications, if so. */
	refusal: (callbackUri: string) => string | undefined;
	/** A stub-signed JWT for the bot, the bearer of each POST when no callbackToken is configured. */
	bearer: () => Promise<string>;
	/** A slot under the namespace's NOTIFICATIONS_PER_MINUTE: now, or when to come back. */
	slotAt: () => Promise<number>;
};

type Result = Partial<Answer> & { status: number | null; error: string | null };

async function post(settings: DeliverySettings, batch: NotificationBatch): Promise<Result> {
	// A call's own notifications go where the call said (its callbackUri); an operation's where configured.
	const callbackUri = batch.callbackUri ?? settings.callbackUri;
	if (!callbackUri) return { status: null, error: "no callbackUri is configured" };
	const refusal = settings.refusal(callbackUri);
	if (refusal) return { status: null, error: `callbackUri ${refusal}` };
	try {
		// Graph signs its notifications; a configured callbackToken replaces that (never logged or echoed).
		const bearer = settings.callbackToken ?? (await settings.bearer());
		const init = {
			method: "POST",
			headers: {
				"Content-Type": "application/json",
				"User-Agent": settings.userAgent,
				"Scenario-ID": settings.scenarioId,
				"client-request-id": crypto.randomUUID(),
				"x-stub-notification-sequence": batch.sequences,
				Authorization: `Bearer ${bearer}`,
			},
			body: batch.payload,
			signal: AbortSignal.timeout(settings.timeoutMs),
		};
		// A POST carrying an incoming call's notification may follow the bot's 307/308, each hop held to the same rules.
		const follows = batch.rows.some(followsRedirects);
		return await postFollowing(callbackUri, init, follows ? settings.refusal : undefined);
	} catch (error) {
		const timedOut = error instanceof Error && error.name === "TimeoutError";
		return { status: null, error: timedOut ? `no answer within ${settings.timeoutMs} ms` : String(error) };
	}
}

/** Settled (delivered or parked) notifications kept per call for the journal; older ones are dropped. */
export const KEPT_NOTIFICATIONS = 1000;

/**
 * Delivers the outbox head while it is due, one POST at a time: the head alone, or with the due ones behind
 * it when the configuration batches (a later one never overtakes an earlier one that is neither
 * acknowledged nor parked). Returns when to come back, or undefined.
 * `isCurrent` is asked after every POST: once the call was reset or expired meanwhile, the attempt
 * belongs to a call that is gone, and nothing is written into the store that replaced it.
 */
export async function deliverDue(
	sql: SqlStorage,
	settings: DeliverySettings,
	isCurrent: () => boolean,
	limit = 25,
): Promise<number | undefined> {
	for (let delivered = 0; delivered < limit; delivered++) {
		const head = outboxHead(sql);
		if (!head) return undefined;
		if (head.next_attempt_at > Date.now()) return head.next_attempt_at;
		const slotAt = await settings.slotAt(); // over the namespace's rate, the head waits: order kept
		if (!isCurrent()) return undefined;
		if (slotAt > Date.now()) return slotAt;
		const batch = dueBatch(sql, head, settings.batchLimit, Date.now());
		const result = await post(settings, batch);
		if (!isCurrent()) return undefined;
		// One POST, one outcome for all it carried; each notification's journal records the attempt.
		const at = new Date().toISOString();
		const acknowledged = result.status !== null && result.status >= 200 && result.status < 300;
		const next = Date.now() + backoffMs(head.attempts + 1, settings.backoffBaseMs, Math.random());
		for (const row of batch.rows) {
			const attempt = row.attempts + 1;
			sql.exec(
				"INSERT INTO delivery_attempts (notification_id, attempt, at, status, error, hops) VALUES (?, ?, ?, ?, ?, ?)",
				row.id,
				attempt,
				at,
				result.status,
				result.error,
				result.hops?.length ? JSON.stringify(result.hops) : null,
			);
			const state = acknowledged ? "delivered" : attempt >= settings.maxAttempts ? "failed" : "pending";
			sql.exec(
				"UPDATE outbox SET attempts = ?, state = ?, next_attempt_at = ? WHERE id = ?",
				attempt,
				state,
				next,
				row.id,
			);
			// Everything before a settled one is settled (delivery is in order): keep the newest of those only.
			if (state !== "pending") forgetSettledBefore(sql, row.id - KEPT_NOTIFICATIONS + 1);
		}
	}
	return Date.now();
}

function forgetSettledBefore(sql: SqlStorage, id: number) {
	if (id <= 1) return;
	sql.exec("DELETE FROM delivery_attempts WHERE notification_id < ?", id);
	sql.exec("DELETE FROM outbox WHERE id < ? AND state != 'pending'", id);
}
