import type { AlarmClock } from "../lifecycle/alarm-clock";
import type { FanOut } from "./fan-out";
import type { MeetingFarSide } from "./far-side";
import type { MeetingCalls } from "./meeting-calls";
import type { MeetingExpiry } from "./meeting-expiry";
import type { MeetingSettings } from "./meeting-store";
import type { MeetingScript } from "./script";

// The meeting's one clock (its alarm) and what is due by it: the script's steps, a joined call that
// never came to exist, a bot left in the lobby past its timeout. `due` is a synchronous step inside the
// alarm's transaction; the meeting tells the calls concerned afterwards.

/** A call that joined and has not said it exists after this long is dropped from the meeting. */
const UNREADY_GRACE_MS = 60_000;

type DueWork = {
	/** Calls whose bot waited out the lobby: they end 200/5855. */
	waitedOut: string[];
	/** Calls whose bot a script step admitted: they go on to established. */
	admitted: string[];
};

export class MeetingClock {
	constructor(
		readonly alarm: AlarmClock,
		private readonly script: MeetingScript,
		private readonly fanOut: FanOut,
		private readonly calls: MeetingCalls,
		private readonly farSide: MeetingFarSide,
		private readonly expiry: MeetingExpiry,
	) {}

	/** Everything due by `nowMs`, applied in order (inside the caller's transaction). */
	due(settings: MeetingSettings, nowMs: number): DueWork {
		const joined = this.fanOut.calls();
		const stale = joined.filter((call) => !call.ready && call.joined_at <= nowMs - UNREADY_GRACE_MS);
		const waitedOut = joined.filter((call) => call.lobby_until !== null && call.lobby_until <= nowMs);
		for (const call of [...stale, ...waitedOut]) this.calls.gone(call.call_id);
		return { waitedOut: waitedOut.map((call) => call.call_id), admitted: this.runScript(settings, nowMs) };
	}

	/** The script's steps due by `nowMs`, in order; the calls of admitted bots. */
	private runScript(settings: MeetingSettings, nowMs: number): string[] {
		const admitted: string[] = [];
		for (const { index, step } of this.script.due(nowMs)) {
			const result =
				step.action === "join"
					? this.farSide.join(settings, step.person)
					: step.action === "leave"
						? this.farSide.leave(step.key)
						: this.farSide.act(step.key, step.action);
			this.script.settle(index, result.ok ? undefined : result.message);
			if (result.ok && result.admittedCall) admitted.push(result.admittedCall);
		}
		return admitted;
	}

	/** Sets the alarm for the earliest of: the script's next step, the meeting's idle expiry, an unready call's grace, a lobby deadline. */
	async wakeForNext(): Promise<void> {
		const due = [
			this.script.nextAt(),
			this.expiry.at(),
			...this.fanOut
				.calls()
				.flatMap((call) => [call.ready ? undefined : call.joined_at + UNREADY_GRACE_MS, call.lobby_until ?? undefined]),
		].filter((t): t is number => t !== undefined);
		if (due.length) await this.alarm.wakeBy(Math.min(...due));
	}
}
