import type { CallSummary } from "../call-results";

// What the live page's calls list shows of this call (state, operation count), reported to the
// namespace's registry when it changed, for the pages watching the list (src/objects/registry/calls-live.ts).
// Coalesced and compared: a burst of requests costs at most one report, and a read that changed nothing
// (or only the last-activity time) costs none. Only while a page watches: the registry answers each report
// with whether one does, and a call told "nobody" reports at most once per QUIET_MS after that (to learn
// again). A page that connects reads every summary from the calls themselves (GET /_stub/calls), so it
// starts current; only a change in its first QUIET_MS can arrive that late. A new incarnation (a call
// that begins) reports at once.

/** A report is sent this long after the first change of a burst. */
const SIGNAL_MS = 200;
/** After the registry answered "nobody watches", the next report waits until this long after that one. */
export const QUIET_MS = 5_000;

export type ListedNow = { incarnation: number; summary: CallSummary };

export class ListSignal {
	private timer: ReturnType<typeof setTimeout> | undefined;
	/** The timer waits out a quiet window (and may be cut short by a new incarnation). */
	private timerQuiet = false;
	private lastSent = "";
	private sending = false;
	private changedWhileSending = false;
	/** Told "nobody watches" for this incarnation, until this time. */
	private quiet: { incarnation: number; until: number } | undefined;

	constructor(
		/** The call's summary now, in arrival order (undefined: wiped, or it never began). */
		private readonly read: () => Promise<ListedNow | undefined>,
		/** Sends the summary; answers whether any page watches the calls list. */
		private readonly report: (summary: CallSummary) => Promise<boolean>,
		/** The call's incarnation now. */
		private readonly incarnation: () => number,
	) {}

	changed(): void {
		if (this.sending) {
			this.changedWhileSending = true; // scheduled once the registry answered (it may say "nobody")
			return;
		}
		const now = Date.now();
		const quiet = this.quiet && this.quiet.incarnation === this.incarnation() && this.quiet.until > now;
		if (this.timer !== undefined) {
			if (quiet || !this.timerQuiet) return;
			clearTimeout(this.timer); // a call that began does not wait out its predecessor's quiet window
		}
		this.timerQuiet = Boolean(quiet);
		const delay = quiet && this.quiet ? Math.max(SIGNAL_MS, this.quiet.until - now) : SIGNAL_MS;
		this.timer = setTimeout(() => void this.send(), delay);
	}

	private async send(): Promise<void> {
		this.timer = undefined;
		this.sending = true;
		try {
			await this.sendNow();
		} finally {
			this.sending = false;
			if (this.changedWhileSending) {
				this.changedWhileSending = false;
				this.changed();
			}
		}
	}

	private async sendNow(): Promise<void> {
		const now = await this.read();
		if (!now) return;
		const { lastActivity: _, ...shown } = now.summary;
		const key = JSON.stringify([now.incarnation, shown]);
		if (key === this.lastSent) return;
		this.lastSent = key;
		try {
			const watched = await this.report(now.summary);
			this.quiet = watched ? undefined : { incarnation: now.incarnation, until: Date.now() + QUIET_MS };
		} catch (error) {
			this.lastSent = ""; // the next change reports again
			console.error("reporting the call to its registry failed", error);
		}
	}
}
