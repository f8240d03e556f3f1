import type {
	CallSnapshot,
	ConfigureOptions,
	RequestFilter,
	ResetOptions,
	StubNotification,
	Tone,
	WaitForOptions,
} from "./api.ts";
import { stubRequest } from "./http.ts";
import { meetingHelpers, withRoster } from "./meeting-driver.ts";

// The test driver on the Stub startStub() returns: typed calls of the /_stub controls, reads that are
// never Graph traffic, and waitFor() on the call's live WebSocket (the whole timeline pushed on each change).

type Json = Record<string, unknown>;

export type DriverTarget = { url: string; token: string; ca: string | undefined };

export function driver({ url, token, ca }: DriverTarget) {
	async function call(method: string, path: string, body?: unknown, as = token, contentType = "application/json") {
		const headers: Record<string, string> = { Authorization: `Bearer ${as}` };
		let payload: string | Uint8Array | undefined;
		if (body instanceof Uint8Array) payload = body;
		else if (body !== undefined) payload = JSON.stringify(body);
		if (payload !== undefined) headers["Content-Type"] = contentType;
		const target = path.startsWith("http") ? path : `${url}${path}`;
		const res = await stubRequest(target, { method, headers, body: payload, ca });
		return { status: res.status, json: () => (res.body ? (JSON.parse(res.body) as Json) : {}), text: res.body };
	}
	async function ok(method: string, path: string, body?: unknown, as = token, contentType?: string) {
		const res = await call(method, path, body, as, contentType);
		if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path} answered ${res.status}: ${res.text}`);
		return res;
	}
	/** Every page of a collection, following @odata.nextLink as it is. */
	async function allPages(path: string): Promise<Json[] | undefined> {
		const items: Json[] = [];
		for (let next: string | undefined = path; next; ) {
			const res = await call("GET", next);
			if (res.status === 404) return undefined;
			if (res.status !== 200) throw new Error(`GET ${next} answered ${res.status}: ${res.text}`);
			const page = res.json() as { value: Json[]; "@odata.nextLink"?: string };
			items.push(...page.value);
			next = page["@odata.nextLink"];
		}
		return items;
	}
	const callPath = (callId: string) => `/_stub/calls/${encodeURIComponent(callId)}`;

	return {
		configure: (config: unknown, options: string | ConfigureOptions = {}) => {
			const { replace = false, token: as = token } = typeof options === "string" ? { token: options } : options;
			return ok(replace ? "PUT" : "PATCH", "/_stub/config", config, as).then(() => undefined);
		},
		reset: async (options: string | ResetOptions = {}) => {
			const { config = false, token: as = token } = typeof options === "string" ? { token: options } : options;
			await ok("DELETE", "/_stub/calls", undefined, as);
			if (config) await ok("DELETE", "/_stub/config", undefined, as);
		},
		incomingCall: async (body: Json = {}) => (await ok("POST", "/_stub/incoming-calls", body)).json(),
		pressTones: async (callId: string, tones: readonly Tone[], options: { delayMs?: number } = {}) => {
			await ok("POST", `${callPath(callId)}/tones`, { tones, ...options });
		},
		hangUp: async (callId: string, resultInfo?: Json) => {
			await ok("POST", `${callPath(callId)}/hangup`, resultInfo ? { resultInfo } : {});
		},
		supplyRecording: async (callId: string, wav: Uint8Array | ArrayBuffer) => {
			const bytes = wav instanceof Uint8Array ? wav : new Uint8Array(wav);
			await ok("PUT", `${callPath(callId)}/recording`, bytes, token, "audio/wav");
		},
		requests: async (callId?: string, filter: RequestFilter = {}) => {
			const query = new URLSearchParams();
			for (const [key, value] of Object.entries(filter)) {
				if (value === undefined || key === "count") continue;
				if (key === "bodyContains") query.set(key, JSON.stringify(value));
				else if (key === "since") query.set(key, value instanceof Date ? value.toISOString() : String(value));
				else query.set(key === "top" ? "$top" : key, String(value));
			}
			if (filter.count) query.set("count", "true");
			const base = callId === undefined ? "/_stub/requests" : `${callPath(callId)}/requests`;
			const path = `${base}${query.size ? `?${query}` : ""}`;
			if (filter.count) return Number((await ok("GET", path)).json()["@odata.count"]);
			return (await allPages(path)) ?? [];
		},
		notifications: async (callId: string) =>
			(((await ok("GET", `${callPath(callId)}/notifications`)).json().value ?? []) as StubNotification[]).map(
				withRoster,
			),
		operations: async (callId: string) => (await allPages(`${callPath(callId)}/operations`)) ?? [],
		call: async (callId: string) => {
			const res = await call("GET", callPath(callId));
			if (res.status === 404) return undefined;
			if (res.status !== 200) throw new Error(`GET ${callPath(callId)} answered ${res.status}: ${res.text}`);
			return res.json();
		},
		waitFor: <T>(callId: string, predicate: (snapshot: CallSnapshot) => T, options: WaitForOptions = {}) =>
			waitOnSocket(
				`${url.replace(/^http/, "ws")}${callPath(callId)}/live?access_token=${encodeURIComponent(token)}`,
				predicate,
				options.timeoutMs ?? 5000,
			),
		...meetingHelpers(
			(method, path, body) => call(method, path, body),
			(method, path, body) => ok(method, path, body),
		),
	};
}

type SocketLike = {
	addEventListener(type: string, listener: (event: { data?: unknown; code?: number; reason?: string }) => void): void;
	close(): void;
};

/** Resolves with the predicate's first truthy answer over the pushed timelines (the first arrives at once). */
function waitOnSocket<T>(
	url: string,
	predicate: (snapshot: CallSnapshot) => T,
	timeoutMs: number,
): Promise<NonNullable<T>> {
	const Socket = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
	if (!Socket)
		return Promise.reject(
			new Error(
				`waitFor() needs a global WebSocket: Node 22+ (this is ${process.version}; Node 20/21: --experimental-websocket)`,
			),
		);
	return new Promise((resolve, reject) => {
		const socket = new Socket(url);
		let last: CallSnapshot | undefined;
		let settled = false;
		const finish = (error: Error | undefined, value?: NonNullable<T>) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.close();
			if (error) reject(error);
			else resolve(value as NonNullable<T>);
		};
		const timer = setTimeout(() => {
			const seen = last ? summary(last) : "nothing (the socket never opened)";
			finish(new Error(`waitFor(): nothing matched within ${timeoutMs} ms; the call last looked like: ${seen}`));
		}, timeoutMs);
		socket.addEventListener("message", (event) => {
			try {
				const pushed = JSON.parse(String(event.data)) as CallSnapshot;
				last = { ...pushed, notifications: pushed.notifications.map(withRoster) };
				const found = predicate(last);
				if (found) finish(undefined, found as NonNullable<T>);
			} catch (error) {
				finish(error as Error);
			}
		});
		socket.addEventListener("error", () => finish(new Error(`waitFor(): the live socket ${url.split("?")[0]} failed`)));
		socket.addEventListener("close", (event) => {
			if (!settled) finish(new Error(`waitFor(): the live socket closed (${event.code} ${event.reason ?? ""})`.trim()));
		});
	});
}

function summary(snapshot: CallSnapshot): string {
	const state = snapshot.call?.state ?? (snapshot.exists ? "no call resource" : "no such call");
	const ops = snapshot.operations.map((op) => `${op.type.replace("#microsoft.graph.", "")} ${op.status}`).join(", ");
	const last = snapshot.requests.at(-1);
	return `state ${state}; operations [${ops}]; ${snapshot.notifications.length} notifications; ${snapshot.requests.length} requests${last ? ` (last ${last.route} ${last.status})` : ""}`;
}
