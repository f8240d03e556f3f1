import type { CallSummary } from "../call-results";

// The live page's calls list, pushed: the namespace's registry holds the pages' hibernatable WebSockets
// (GET /_stub/live) and sends each what changed — a call's summary as the call object reports it, or
// that a call ended (reset or expired). The page reads the first page of GET /_stub/calls when its
// socket opens; from then on it only applies these messages (no poll).

/** Changes are coalesced: a burst sends one message, this long after its first change. */
const COALESCE_MS = 50;
/** At most this many pages watch one namespace's calls; one of them is closed (1008) for a new one. */
export const MAX_CALL_LIST_WATCHERS = 8;

/** One message: the calls whose summary changed (or that began), then those that ended. */
export type CallListChange = { calls: CallSummary[]; ended: string[] };

export class CallsLive {
	private readonly changedCalls = new Map<string, CallSummary>();
	private readonly endedCalls = new Set<string>();
	private scheduled = false;

	constructor(private readonly ctx: DurableObjectState) {}

	/** Accepts a page's WebSocket upgrade (the Worker checked the token). */
	accept(): Response {
		// A socket closed here stays listed until the page answers the close: only open ones count.
		const watchers = this.ctx.getWebSockets().filter((socket) => socket.readyState === WebSocket.OPEN);
		for (const old of watchers.slice(0, Math.max(0, watchers.length - MAX_CALL_LIST_WATCHERS + 1)))
			old.close(1008, "too many pages watch this namespace");
		const { 0: client, 1: server } = new WebSocketPair();
		this.ctx.acceptWebSocket(server);
		return new Response(null, { status: 101, webSocket: client });
	}

	/** Whether any page watches (nothing is kept for nobody). */
	watched(): boolean {
		return this.ctx.getWebSockets().length > 0;
	}

	changed(summary: CallSummary): void {
		this.endedCalls.delete(summary.callId);
		this.changedCalls.set(summary.callId, summary);
		this.schedule();
	}

	ended(callId: string): void {
		this.changedCalls.delete(callId);
		this.endedCalls.add(callId);
		this.schedule();
	}

	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setTimeout(() => {
			this.scheduled = false;
			this.push();
		}, COALESCE_MS);
	}

	private push(): void {
		const change: CallListChange = { calls: [...this.changedCalls.values()], ended: [...this.endedCalls] };
		this.changedCalls.clear();
		this.endedCalls.clear();
		if (change.calls.length === 0 && change.ended.length === 0) return;
		const text = JSON.stringify(change);
		for (const socket of this.ctx.getWebSockets()) {
			try {
				socket.send(text);
			} catch {
				// closed meanwhile: its close handler tidies up
			}
		}
	}
}
