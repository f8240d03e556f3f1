/** One request the call's object answered: its route, how it went, the fault or latency injected. */
export type LoggedRequest = {
	dateTime: string;
	route: string;
	/** `ok`, or why not: `callNotFound`, `fault`, `invalid`, a refused call step's reason, … */
	outcome: string;
	/** The HTTP status a fault plan injected. */
	faultStatus?: number;
	delayMs?: number;
};

type Answered = { ok: boolean; error?: unknown; fault?: { status: number }; reason?: unknown; delayMs?: number };

/** The last requests, in memory: bounded, and kept while the object stays loaded (the live page's window). */
export class RequestLog {
	private readonly entries: LoggedRequest[] = [];

	constructor(private readonly limit = 200) {}

	record(route: string, answered: Answered): void {
		const outcome = answered.ok ? "ok" : String(answered.error ?? answered.reason ?? "refused");
		this.entries.push({
			dateTime: new Date().toISOString(),
			route,
			outcome,
			...(answered.fault ? { faultStatus: answered.fault.status } : {}),
			...(answered.delayMs ? { delayMs: answered.delayMs } : {}),
		});
		if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
	}

	clear(): void {
		this.entries.length = 0;
	}

	list(): readonly LoggedRequest[] {
		return this.entries;
	}
}
