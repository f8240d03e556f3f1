/**
 * Keeps a call's requests in arrival order across the few steps that must await something before the
 * requests after them can go on: registering a new incarnation with the namespace's registry, and wiping
 * one. While such a step runs, every request that arrives waits for it, and they resume in the order
 * they arrived (reactions to one promise run in the order they were registered). A request that finds no
 * step running goes on synchronously, so the hot path never waits.
 */
export class Turns {
	/**
	 * The exclusive step running now, if any. Wait for it where the request is handled, re-checking on
	 * every wake-up (`while (turns.running) await turns.running;`): an async helper would check one tick
	 * before its caller resumes, and a step started in that tick would be missed.
	 */
	running: Promise<void> | undefined;

	/** Runs `step` with every later request waiting for it; it must not throw (its errors are logged). */
	exclusive(step: () => Promise<void>): Promise<void> {
		const running = step()
			.catch((error: unknown) => console.error("exclusive step failed", error))
			.finally(() => {
				if (this.running === running) this.running = undefined;
			});
		this.running = running;
		return running;
	}
}
