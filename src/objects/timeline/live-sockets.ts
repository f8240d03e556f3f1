// The live page's connections to one call (or one meeting: the same class in src/objects/meeting), on the
// Durable Object's hibernatable WebSockets: the object may sleep while a page watches, and every change is
// pushed as the whole (bounded) view.

/** Pushes are coalesced: a burst of requests sends one timeline, this long after the first. */
const COALESCE_MS = 50;
/** At most this many pages watch one call; the oldest is closed for a new one. */
const MAX_WATCHERS = 8;

export class LiveSockets<View> {
	private scheduled = false;

	constructor(
		private readonly ctx: DurableObjectState,
		/** Reads the view synchronously: nothing is awaited between the read and the send. */
		private readonly read: () => View,
	) {}

	/** Accepts a page's WebSocket upgrade (the Worker checked the token) and sends the timeline at once. */
	accept(): Response {
		const watchers = this.ctx.getWebSockets();
		for (const old of watchers.slice(0, Math.max(0, watchers.length - MAX_WATCHERS + 1)))
			old.close(1008, "too many pages watch this");
		const { 0: client, 1: server } = new WebSocketPair();
		this.ctx.acceptWebSocket(server);
		server.send(JSON.stringify(this.read()));
		return new Response(null, { status: 101, webSocket: client });
	}

	/** Something the page shows changed: push soon, once, if anyone watches. */
	changed(): void {
		if (this.scheduled || this.ctx.getWebSockets().length === 0) return;
		this.scheduled = true;
		setTimeout(() => {
			this.scheduled = false;
			this.push();
		}, COALESCE_MS);
	}

	/** A page asked again (`refresh`), e.g. after a tab came back. */
	resend(socket: WebSocket): void {
		socket.send(JSON.stringify(this.read()));
	}

	private push(): void {
		const sockets = this.ctx.getWebSockets();
		if (sockets.length === 0) return;
		const text = JSON.stringify(this.read());
		for (const socket of sockets) {
			try {
				socket.send(text);
			} catch {
				// closed meanwhile: its close handler tidies up
			}
		}
	}
}
