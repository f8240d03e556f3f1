const MINUTE_MS = 60_000;

/**
 * NOTIFICATIONS_PER_MINUTE for one namespace, as a generic cell rate algorithm: one number (the
 * theoretical arrival time), so it is bounded and O(1). A burst of up to `perMinute` goes at once;
 * after that one slot frees every minute / perMinute. Kept in memory: if the registry object is evicted
 * the namespace starts with a fresh allowance (at most one extra burst).
 */
export class NotificationRate {
	private theoreticalArrival = 0;

	/** Takes a slot and returns `nowMs`, or takes nothing and returns when to ask again. */
	take(perMinute: number, nowMs: number): number {
		const interval = MINUTE_MS / perMinute;
		const arrival = Math.max(this.theoreticalArrival, nowMs);
		const allowedAt = arrival - (MINUTE_MS - interval);
		if (allowedAt > nowMs) return Math.ceil(allowedAt);
		this.theoreticalArrival = arrival + interval;
		return nowMs;
	}
}
