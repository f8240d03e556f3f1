type Pending<W, R> = { write: W; resolve: (result: R) => void; reject: (error: unknown) => void };

/**
 * Group commit: writes that arrive while a batch's window is open are applied together, in arrival order,
 * by one synchronous `applyAll` (one commit: the runtime commits what a turn wrote after the turn). The call object's window is
 * `storage.sync()`: it closes once the commits already under way are durable, so a write to an idle call
 * waits for nothing, and writes that arrive while the previous batch is being committed form the next one.
 * Under load a commit costs far more than a write, so a busy call pays it once per batch instead of once
 * per write. (The window was a timer turn before: every write to an idle call waited for a timer. Measured
 * against it in alternating turns: creates over 100 calls the same on disk and 8 % faster with the state in
 * memory, creates on one call 6 % faster.)
 */
export class GroupCommit<W, R> {
	private queue: Pending<W, R>[] = [];

	constructor(
		private readonly applyAll: (writes: W[]) => R[],
		/** When the batch being gathered closes; by default the next turn of the event loop. */
		private readonly window: () => Promise<unknown> = () => new Promise((resolve) => setTimeout(resolve, 0)),
	) {}

	submit(write: W): Promise<R> {
		return new Promise<R>((resolve, reject) => {
			this.queue.push({ write, resolve, reject });
			// Flushed when the window closes, however it closes (even by throwing at once): a queued write
			// never waits forever, and none is applied after its writer heard it failed.
			if (this.queue.length === 1) {
				const flush = () => this.flush();
				void Promise.resolve()
					.then(() => this.window())
					.then(flush, flush);
			}
		});
	}

	/** Applies what is queued now; a reset calls it first, so no earlier write lands after the reset. */
	flush(): void {
		const batch = this.queue;
		if (batch.length === 0) return;
		this.queue = [];
		try {
			const results = this.applyAll(batch.map((pending) => pending.write));
			for (const [i, pending] of batch.entries()) pending.resolve(results[i] as R);
		} catch (error) {
			// The transaction rolled back whole: nothing of this batch was stored, and every writer hears so.
			for (const pending of batch) pending.reject(error);
		}
	}
}
