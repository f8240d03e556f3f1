type Pending<W, R> = { write: W; resolve: (result: R) => void; reject: (error: unknown) => void };

/**
 * Group commit: writes that arrive while a batch waits for the next turn of the event loop are applied
 * together, in arrival order, by one synchronous `applyAll` (one transaction, one commit). Under load a
 * commit costs far more than a write, so a busy call pays it once per batch instead of once per write.
 */
export class GroupCommit<W, R> {
	private queue: Pending<W, R>[] = [];

	constructor(private readonly applyAll: (writes: W[]) => R[]) {}

	submit(write: W): Promise<R> {
		return new Promise<R>((resolve, reject) => {
			this.queue.push({ write, resolve, reject });
			if (this.queue.length === 1) setTimeout(() => this.flush(), 0);
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
