/**
 * The call's one alarm, shared by transitions, notification retries and idle expiry: `wakeBy` only
 * ever moves it earlier, and remembers the time set so that the hot path rarely asks storage.
 */
export class AlarmClock {
	private at: number | null | undefined;

	constructor(private readonly storage: DurableObjectStorage) {}

	async wakeBy(due: number): Promise<void> {
		if (this.at === undefined) this.at = await this.storage.getAlarm();
		if (this.at !== null && this.at <= due) return;
		this.at = due;
		await this.storage.setAlarm(due);
	}

	/** The alarm fired (or was deleted): nothing is set any more. */
	cleared(): void {
		this.at = null;
	}
}
