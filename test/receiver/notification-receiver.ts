import type { Server } from "node:http";
import { listenOnLoopback } from "./loopback-server.ts";

export type Received = { path: string; headers: Record<string, string>; body: string; answeredWith: number };
type Behaviour = { failFirst: number; status: number; hangMs?: number; location?: string };

/**
 * A bot's callback endpoint on loopback, for the tests: records every POST per path and answers 202,
 * or fails the first N with a given status when told so (POST /_control/<path> {"failFirst":N,"status":S}),
 * or answers them only after `hangMs`; with `location`, the failing answers carry it as their Location.
 * GET /_records/<path> lists what it received.
 */
export async function startReceiver(): Promise<{ url: string; server: Server; received: Map<string, Received[]> }> {
	const received = new Map<string, Received[]>();
	const behaviours = new Map<string, Behaviour>();
	const listening = await listenOnLoopback((request, body, response) => {
		const url = new URL(request.url ?? "/", "http://receiver");
		if (url.pathname.startsWith("/_control/")) {
			behaviours.set(url.pathname.slice("/_control".length), JSON.parse(body) as Behaviour);
			response.writeHead(204).end();
		} else if (url.pathname.startsWith("/_records/")) {
			response.writeHead(200, { "Content-Type": "application/json" });
			response.end(JSON.stringify(received.get(url.pathname.slice("/_records".length)) ?? []));
		} else {
			const behaviour = behaviours.get(url.pathname);
			const failing = behaviour && behaviour.failFirst > 0;
			if (behaviour && failing) behaviour.failFirst--;
			const answeredWith = failing ? behaviour.status : 202;
			const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
			const list = received.get(url.pathname) ?? [];
			list.push({ path: url.pathname, headers, body, answeredWith });
			received.set(url.pathname, list);
			const answer = () =>
				response.writeHead(answeredWith, failing && behaviour.location ? { Location: behaviour.location } : {}).end();
			if (failing && behaviour.hangMs) setTimeout(answer, behaviour.hangMs);
			else answer();
		}
	});
	return { ...listening, received };
}
