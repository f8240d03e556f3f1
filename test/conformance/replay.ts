import { establishedCall } from "../actions/helpers";
import { advance, callUrl, configure, newTester, startIncoming, type Tester, timersOf } from "../calls/helpers";
import { json, ORIGIN, send } from "../helpers/graph";
import { receivedAt } from "../simulation/helpers";
import { shapeDifferences } from "./compare";
import type { CorpusExample, Json } from "./corpus";

// Replays one documented exchange against the Worker: puts a call in the state the page assumes, maps
// the documented ids to the stub's, sends the documented request, compares the answer, then lets the
// call move on (its timers made due) and compares each documented notification with what the bot got.

type Setup = "none" | "incoming" | "established";
type Context = { tester: Tester; callId: string; participantId: string; operationId: string; version: string };

/** The state each page's request needs; a page not listed needs an established call. */
const SETUPS: Record<string, Setup> = {
	"application-post-calls": "none",
	"call-answer": "incoming",
	"call-reject": "incoming",
	"call-redirect": "incoming",
};

/** What a page needs done first on the established call (a recording to cancel, a hold to end). */
const BEFORE: Record<string, (context: Context) => Promise<unknown>> = {
	"call-cancelmediaprocessing": ({ tester, callId, version }) =>
		send("POST", `${callUrl(callId, version)}/recordResponse`, { clientContext: "before" }, { token: tester.token }),
	"participant-stopholdmusic": ({ tester, callId, participantId, version }) =>
		send(
			"POST",
			`${callUrl(callId, version)}/participants/${participantId}/startHoldMusic`,
			{},
			{ token: tester.token },
		),
};

/** After the request, what the far side does (the caller presses a key) for the documented notifications. */
const AFTER: Record<string, (context: Context) => Promise<unknown>> = {
	"call-subscribetotone": ({ tester, callId }) =>
		send("POST", `${ORIGIN}/_stub/calls/${callId}/tones`, { tones: ["tone1"] }, { token: tester.token }),
};

/** Timers that move a call along its documented path; not the ones that end it early or fail it. */
const FORWARD = ["established", "audioActive", "transferAccepted", "transferCompleted", "operationFinished"] as const;

export const pageName = (example: CorpusExample) => example.page.replace(/^.*\//, "").replace(/\.md$/, "");

/** The documented path with the stub's ids in place of the page's (`{id}`, GUIDs, whatever the page wrote). */
export function mapPath(path: string, context: Context) {
	return path
		.replace(/^\/app\/calls\//, "/communications/calls/")
		.replace(/(\/communications\/calls\/)[^/?]+/, `$1${context.callId}`)
		.replace(/(\/participants\/)(?!invite\b|muteAll\b)[^/?]+/, `$1${context.participantId}`)
		.replace(/(\/operations\/)[^/?]+/, `$1${context.operationId}`);
}

/** The documented body, but the callbacks go to this test's receiver. */
function mapBody(body: Json | undefined, context: Context): Json | undefined {
	if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
	return "callbackUri" in body ? { ...body, callbackUri: context.tester.callbackUri } : body;
}

async function prepare(example: CorpusExample): Promise<Context> {
	const tester = newTester("conformance");
	const version = example.version;
	const context: Context = { tester, callId: "", participantId: "", operationId: "", version };
	const setup = SETUPS[pageName(example)] ?? "established";
	if (setup === "none") {
		await configure(tester);
		return context;
	}
	if (setup === "incoming") {
		await configure(tester);
		// The incoming call is notified in the version of the page (until the bot answers, it has none of its own).
		context.callId = (await startIncoming(tester, { apiVersion: version })).id;
		return context;
	}
	context.callId = (await establishedCall(tester, {}, version)).id;
	const roster = await json(await send("GET", `${callUrl(context.callId, version)}/participants`, undefined, tester));
	const participants = (roster.value ?? []) as { id: string }[];
	context.participantId = participants.at(-1)?.id ?? "no-participant";
	const operation = await send("POST", `${callUrl(context.callId, version)}/operations`, {}, tester);
	context.operationId = String((await json(operation)).id);
	return context;
}

export type Sent = { body: Record<string, unknown>; item: Record<string, unknown> };
export type Replayed = { differences: string[]; context: Context; sent: () => Promise<Sent[]> };

export async function replayExchange(example: CorpusExample): Promise<Replayed> {
	const context = await prepare(example);
	const page = pageName(example);
	await BEFORE[page]?.(context);
	const documented = example.request;
	const response = example.response;
	if (!documented || !response) throw new Error(`${example.id}: not an exchange`);
	const body = mapBody(documented.body, context);
	const answer = await send(
		documented.method,
		`${ORIGIN}/${example.version}${mapPath(documented.path, context)}`,
		body,
		context.tester,
	);
	const text = await answer.text();
	const differences: string[] = [];
	if (answer.status !== response.status) {
		differences.push(`status ${answer.status} where the docs show ${response.status}${errorText(text)}`);
	} else if (response.body !== undefined) {
		differences.push(...shapeDifferences(response.body, text ? JSON.parse(text) : undefined));
	}
	if (!context.callId && answer.status === 201) context.callId = String(JSON.parse(text).id);
	await AFTER[page]?.(context);
	if (context.callId) await advance(context.tester, context.callId, ...FORWARD);
	return { differences, context, sent: () => sentTo(context) };
}

const errorText = (text: string) => {
	try {
		const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
		return error ? ` (${error.code}: ${error.message})` : "";
	} catch {
		return "";
	}
};

/** Every notification item the bot received so far, with the POST body it came in. */
async function sentTo(context: Context): Promise<Sent[]> {
	const received = await receivedAt(context.tester.hook);
	return received.flatMap((one) => {
		const body = JSON.parse(one.body) as Record<string, unknown>;
		const items = (Array.isArray(body.value) ? body.value : []) as Record<string, unknown>[];
		return items.map((item) => ({ body, item }));
	});
}

const get = (value: unknown, key: string) =>
	typeof value === "object" && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)[key]
		: undefined;

/** What identifies a notification: its change, its resource's type, and the call's state or operation's status. */
export function signature(item: unknown) {
	const data = get(item, "resourceData");
	const first = Array.isArray(data) ? data[0] : data;
	return [
		get(item, "changeType"),
		Array.isArray(data) ? "participants" : String(get(first, "@odata.type") ?? "").replace(/^#/, ""),
		Array.isArray(data) ? "" : (get(first, "state") ?? get(first, "status") ?? ""),
	].join(" ");
}

/** Compares one documented notification with the best candidate the bot received (same signature). */
export function compareNotification(example: CorpusExample, sent: Sent[]): string[] {
	const documented = example.notification;
	const docItems = (get(documented, "value") ?? []) as Json[];
	const differences: string[] = [];
	const { value: _value, ...envelope } = (documented ?? {}) as Record<string, Json>;
	docItems.forEach((docItem, i) => {
		const wanted = signature(docItem);
		const candidates = sent.filter((one) => signature(one.item) === wanted);
		if (candidates.length === 0) {
			const got = [...new Set(sent.map((one) => signature(one.item)))].join("; ") || "nothing";
			differences.push(`value[${i}]: no notification "${wanted}" was sent (the bot got: ${got})`);
			return;
		}
		// The candidate closest in shape is the one compared.
		const ranked = candidates
			.map((one) => [...shapeDifferences(envelope, one.body), ...shapeDifferences(docItem, one.item, `value[${i}]`)])
			.sort((a, b) => a.length - b.length);
		differences.push(...(ranked[0] ?? []));
	});
	return differences;
}

/** Nothing left to happen: no forward timer set, no notification waiting to be delivered. */
async function quiescent({ tester, callId }: Context) {
	const timers = await timersOf(tester, callId);
	if (timers.some((timer) => (FORWARD as readonly string[]).includes(timer.kind))) return false;
	const journal = await send("GET", `${ORIGIN}/_stub/calls/${callId}/notifications`, undefined, tester);
	if (journal.status !== 200) return true;
	const entries = ((await json(journal)).value ?? []) as { state: string }[];
	return !entries.some((entry) => entry.state === "pending");
}

/**
 * Lets the call run its course (each forward timer made due as it is set) until nothing is left to
 * happen and every notification is delivered, so what the bot got does not depend on the machine's
 * speed; then answers what it got.
 */
export async function settle(replayed: Replayed, ms = 10_000): Promise<Sent[]> {
	const { context } = replayed;
	const until = Date.now() + ms;
	let calm = 0;
	while (context.callId && calm < 2 && Date.now() < until) {
		await advance(context.tester, context.callId, ...FORWARD);
		await new Promise((resolve) => setTimeout(resolve, 20));
		calm = (await quiescent(context)) ? calm + 1 : 0;
	}
	return replayed.sent();
}
