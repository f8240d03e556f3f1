import type { CallSummary } from "../call-results";

// What the live page's calls list shows of this call (state, operation count), reported to the
// namespace's registry when it changed, for the pages watching the list (src/objects/registry/calls-live.ts).
// Coalesced and compared: a burst of requests costs at most one report, and a read that changed nothing
// (or only the last-activity time) costs none.

/** A report is sent this long after the first change of a burst. */
const SIGNAL_MS = 200;

export type ListedNow = { incarnation: number; summary: CallSummary };

export class ListSignal {
	private scheduled = false;
	private lastSent = "";

	constructor(
		/** The call's summary now, in arrival order (undefined: wiped, or it never began). */
		private readonly read: () => Promise<ListedNow | undefined>,
		private readonly report: (summary: CallSummary) => Promise<unknown>,
	) {}

	changed(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setTimeout(() => void this.send(), SIGNAL_MS);
	}

	private async send(): Promise<void> {
		this.scheduled = false;
		const now = await this.read();
		if (!now) return;
		const { lastActivity: _, ...shown } = now.summary;
		const key = JSON.stringify([now.incarnation, shown]);
		if (key === this.lastSent) return;
		this.lastSent = key;
		try {
			await this.report(now.summary);
		} catch (error) {
			this.lastSent = ""; // the next change reports again
			console.error("reporting the call to its registry failed", error);
		}
	}
}
