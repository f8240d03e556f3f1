import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import type { Socket } from "node:net";
import { dirname, join } from "node:path";
import tls from "node:tls";
import { fileURLToPath } from "node:url";
import { DEFAULT_TOKEN, LIFELINE_ENV, type ReadyLine } from "./contract.ts";
import { driver } from "./driver.ts";

export type StartStubOptions = {
	/** Port to listen on; 0 (the default) picks a free one. */
	port?: number;
	/** Address to listen on (default 127.0.0.1). */
	host?: string;
	/**
	 * Keep calls in this folder across starts; default: a temporary folder in memory (/dev/shm where it has
	 * room, else the system's temp folder), deleted when the stub stops.
	 */
	stateDir?: string;
	/** Serve HTTPS with a local CA; `dir` is where the CA is made and reused (default `<stateDir>/tls`). */
	https?: boolean | { dir?: string };
	/**
	 * The Worker's AUTH_MODE: "any" (the default, or the AUTH_MODE environment variable: any bearer token
	 * is accepted and names its namespace; a request without one is 401), "optional" (no token: the
	 * shared namespace `anonymous`), "claims", "tokens", "hs256" or "jwks" (docs/guides/namespaces.md).
	 */
	authMode?: string;
	/** A namespace default configuration (the body of `PUT /_stub/config`), set at start for each token. */
	config?: unknown;
	/** The testers' bearer tokens `config` applies to (default ["any-token"]); the first is `stub.token`. */
	tokens?: string[];
	/** How long to wait for the stub to serve (default 30 000 ms). */
	timeoutMs?: number;
};

export type Stub = {
	/** The stub's origin, e.g. "http://127.0.0.1:40123" (no trailing slash). */
	url: string;
	/** Graph's beta root on the stub, e.g. "http://127.0.0.1:40123/beta": a Graph client's baseUrl/version. */
	graphUrl: string;
	/** With https: the local CA's PEM file (trust it: NODE_EXTRA_CA_CERTS, or `ca` in Node's TLS options). */
	caFile?: string;
	/** With https: the local CA's PEM text. */
	ca?: string;
	/**
	 * With https: makes this process's TLS clients (fetch, node:https, the Graph SDKs on them) trust the
	 * stub's CA from now on, beside the usual ones. Needs Node 22.19+ (tls.setDefaultCACertificates);
	 * on an older Node it throws: start the process with NODE_EXTRA_CA_CERTS=<caFile> instead.
	 */
	trustCa: () => void;
	/** Where the calls are kept. */
	stateDir: string;
	/** The calls are kept in memory (a temporary folder on a tmpfs): no disk writes, gone at close(). */
	memory: boolean;
	/** The first configured token (default "any-token"). */
	token: string;
	/** `{ Authorization: "Bearer <token>" }` for a token (default `stub.token`). */
	headers: (token?: string) => Record<string, string>;
	/**
	 * Merges `config` into the namespace's default configuration (`PATCH /_stub/config`, a JSON Merge
	 * Patch: objects merge key by key, `null` removes a key, arrays replace); `{ replace: true }` replaces
	 * it whole (`PUT`). A string instead of options is the token, as before.
	 * @example
	 * await stub.configure({ calling: { promptMs: 200 } });          // keeps callbackUri, faults …
	 * await stub.configure({ faults: null });                          // drops the fault plan only
	 * await stub.configure({ callbackUri: hook }, { replace: true });  // nothing else stays
	 */
	configure: (config: unknown, options?: string | ConfigureOptions) => Promise<void>;
	/**
	 * Deletes every call of the namespace (`DELETE /_stub/calls`); with `{ config: true }` its default
	 * configuration too (`DELETE /_stub/config`), so a fault plan of one test never reaches the next.
	 * @example
	 * beforeEach(() => stub.reset({ config: true }));
	 */
	reset: (options?: string | ResetOptions) => Promise<void>;
	/**
	 * Someone calls the bot (`POST /_stub/incoming-calls`): the bot hears `created` (state `incoming`) at
	 * `callbackUri` (default: the configured one). Resolves with the call resource.
	 * @example
	 * const call = await stub.incomingCall({ callbackUri: "http://127.0.0.1:3978/api/calling" });
	 */
	incomingCall: (body?: Record<string, unknown>) => Promise<StubCall>;
	/**
	 * The caller presses keys (`POST /_stub/calls/{id}/tones`), in either spelling: `"#"` or `"pound"`,
	 * `"*"` or `"star"`, `"1"` or `"tone1"`, `"A"` or `"a"`. A subscribed bot hears toneInfo; a stop tone
	 * ends a running recordResponse.
	 * @example
	 * await stub.pressTones(call.id, ["1", "#"], { delayMs: 100 });
	 */
	pressTones: (callId: string, tones: readonly Tone[], options?: { delayMs?: number }) => Promise<void>;
	/**
	 * The far side hangs up (`POST /_stub/calls/{id}/hangup`): the bot hears `deleted`, `terminated`.
	 * @example
	 * await stub.hangUp(call.id); // resultInfo 200/5002 unless given: hangUp(id, { code: 200, subcode: 5001 })
	 */
	hangUp: (callId: string, resultInfo?: Record<string, unknown>) => Promise<void>;
	/**
	 * The audio the call's next recording returns (`PUT /_stub/calls/{id}/recording`; 16 kHz mono 16-bit
	 * WAV, at most 1 MiB).
	 * @example
	 * await stub.supplyRecording(call.id, await readFile("fixtures/yes.wav"));
	 */
	supplyRecording: (callId: string, wav: Uint8Array | ArrayBuffer) => Promise<void>;
	/**
	 * The request journal: what the bot sent (and the stub answered), newest first, every page; without a
	 * callId, across the namespace's calls. With `count: true`, only the number of matches.
	 * @example
	 * const sent = await stub.requests(call.id, { route: "playPrompt" });
	 * expect(sent[0]?.requestBody).toMatchObject({ prompts: [{ mediaInfo: { uri: GREETING } }] });
	 * expect(await stub.requests(call.id, { route: "hangUp", count: true })).toBe(1);
	 */
	requests: {
		(callId: string | undefined, filter: RequestFilter & { count: true }): Promise<number>;
		(callId?: string, filter?: RequestFilter): Promise<JournalRequest[]>;
	};
	/**
	 * The call's notifications in sending order, each with its delivery `state` and attempts, and what it
	 * said lifted beside: `callState`, `operationType`, `operationStatus` (null where it says nothing).
	 * @example
	 * const states = (await stub.notifications(call.id)).map((n) => n.callState ?? n.operationStatus);
	 */
	notifications: (callId: string) => Promise<StubNotification[]>;
	/**
	 * The call's operations (`GET /_stub/calls/{id}/operations`), every page: never Graph traffic — no
	 * fault plan, no Retry-After bookkeeping, not journaled. [] for a call that holds nothing.
	 * @example
	 * expect((await stub.operations(call.id)).map((op) => op.status)).toEqual(["completed"]);
	 */
	operations: (callId: string) => Promise<Record<string, unknown>[]>;
	/**
	 * The call resource as stored, an ended (`terminated`) call too (`GET /_stub/calls/{id}`); undefined
	 * when there is none. Never Graph traffic.
	 * @example
	 * expect((await stub.call(call.id))?.state).toBe("terminated");
	 */
	call: (callId: string) => Promise<StubCall | undefined>;
	/**
	 * Resolves with `predicate`'s first truthy answer on the call's timeline, pushed by the stub over the
	 * call's live WebSocket (`/_stub/calls/{id}/live`) at once and on every change: a request answered,
	 * a notification sent or delivered, the call's state, an operation's status (`running` too).
	 * Rejects after `timeoutMs` (default 5000) saying what the call last looked like. Needs a global
	 * WebSocket (Node 22+).
	 * @example
	 * await stub.waitFor(call.id, (t) => t.operations.find((op) => op.status === "running"));
	 * await stub.waitFor(call.id, (t) => t.call?.state === "terminated", { timeoutMs: 10_000 });
	 * // a meeting bot's call: the roster notification that first has Bob in it
	 * const told = await stub.waitFor(call.id, (t) =>
	 *   t.notifications.find((n) => n.roster?.some((p) => p.info.identity.guest?.displayName === "Bob")),
	 * );
	 */
	waitFor: <T>(
		callId: string,
		predicate: (snapshot: CallSnapshot) => T,
		options?: WaitForOptions,
	) => Promise<NonNullable<T>>;
	/**
	 * Makes a meeting (`POST /_stub/meetings`): a joinMeetingId (made up when absent), a passcode, a
	 * lobby, the people already in it and a script of what they do when. Resolves with the meeting: its
	 * `id` (for `stub.meeting()`), `joinMeetingId`, `chatInfo`, `joinWebUrl`, `tokenMeetingInfo`, roster.
	 * Meetings outlive `reset()`: delete them (`stub.meeting(id).delete()`) or use a new joinMeetingId.
	 * @example
	 * const made = await stub.createMeeting({
	 *   passcode: "psw123",
	 *   participants: [{ key: "alice", identity: { user: { id: "a1", displayName: "Alice" } } }],
	 *   script: [{ atMs: 1000, action: "join", person: { key: "bob", identity: { guest: { id: "g1", displayName: "Bob" } } } }],
	 * });
	 * // the bot joins with { "@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo", joinMeetingId: made.joinMeetingId, passcode: "psw123" }
	 */
	createMeeting: (meeting?: NewMeeting) => Promise<StubMeeting>;
	/**
	 * The far side of a meeting (`/_stub/meetings/{id}/…`), by the meeting's `id` (or the meeting
	 * createMeeting() resolved with). Every change reaches each joined bot's call, as a roster
	 * notification, before its promise resolves. A person is named by their `key` or participant id.
	 * @example
	 * const meeting = stub.meeting(made);
	 * await meeting.join({ key: "bob", identity: { guest: { id: "g1", displayName: "Bob" } } });
	 * await meeting.startSharing("alice");
	 * expect((await meeting.roster()).map((p) => p.info.identity.user?.displayName ?? p.info.identity.guest?.displayName)).toContain("Bob");
	 */
	meeting: (meeting: string | { id: string }) => MeetingControls;
	/** Stops the stub and deletes a temporary state folder. Safe to call more than once. */
	close: () => Promise<void>;
};

/** One meeting's controls: what `stub.meeting(id)` gives. Unknown meeting or person: rejects with the 404. */
export type MeetingControls = {
	/** The meeting's id, as the `/_stub/meetings/{id}` routes take it. */
	id: string;
	/**
	 * The meeting as the stub holds it (`GET /_stub/meetings/{id}`): settings, roster, joined calls and
	 * how far its script ran; undefined when there is no such meeting (never made, or deleted).
	 * @example
	 * expect((await stub.meeting(made).view())?.calls).toHaveLength(1); // the bot's call joined
	 */
	view: () => Promise<StubMeeting | undefined>;
	/**
	 * The meeting's roster now, in join order, the bots' own participants included (its 404 when there
	 * is no such meeting). What a bot was told is in its call's notifications (`roster` on each).
	 * @example
	 * const sources = (await stub.meeting(made).roster()).flatMap((p) => p.mediaStreams.map((s) => s.sourceId));
	 */
	roster: () => Promise<MeetingParticipant[]>;
	/**
	 * Someone joins (`POST …/participants`), with the streams they send (default: one audio stream
	 * `sendReceive`); resolves with their participant (its sourceIds filled in). In a meeting with a
	 * lobby, whoever the bypass does not cover waits there (`isInLobby: true`) until `admit()`.
	 * @example
	 * const bob = await stub.meeting(made).join({
	 *   key: "bob",
	 *   identity: { guest: { id: "g1", displayName: "Bob" } },
	 *   streams: [{ mediaType: "audio" }, { mediaType: "video", direction: "sendOnly" }],
	 * });
	 */
	join: (person: MeetingPerson) => Promise<MeetingParticipant>;
	/**
	 * Someone leaves (`DELETE …/participants/{key or id}`). A bot's own participant leaves by its call
	 * hanging up (this answers 400 for it).
	 * @example
	 * await stub.meeting(made).leave("bob");
	 */
	leave: (who: string) => Promise<void>;
	/**
	 * Mutes someone (`isMuted: true`); resolves with the participant as changed. An action that changes
	 * nothing (muting the muted) notifies no one.
	 * @example
	 * await stub.meeting(made).mute("alice");
	 */
	mute: (who: string) => Promise<MeetingParticipant>;
	/**
	 * Unmutes someone.
	 * @example
	 * await stub.meeting(made).unmute("alice");
	 */
	unmute: (who: string) => Promise<MeetingParticipant>;
	/**
	 * Someone turns their camera on: a `video` stream `sendReceive` (a new sourceId, or the one they had).
	 * @example
	 * const { mediaStreams } = await stub.meeting(made).startVideo("alice");
	 */
	startVideo: (who: string) => Promise<MeetingParticipant>;
	/**
	 * Someone turns their camera off: their `video` stream turns `receiveOnly` (its sourceId stays).
	 * @example
	 * await stub.meeting(made).stopVideo("alice");
	 */
	stopVideo: (who: string) => Promise<MeetingParticipant>;
	/**
	 * Someone shares their screen: a `videoBasedScreenSharing` stream `sendOnly`, label
	 * `applicationsharing-video`.
	 * @example
	 * const alice = await stub.meeting(made).startSharing("alice");
	 * const share = alice.mediaStreams.find((s) => s.mediaType === "videoBasedScreenSharing"); // share.sourceId
	 */
	startSharing: (who: string) => Promise<MeetingParticipant>;
	/**
	 * Someone stops sharing: the screen-sharing stream turns `receiveOnly`.
	 * @example
	 * await stub.meeting(made).stopSharing("alice");
	 */
	stopSharing: (who: string) => Promise<MeetingParticipant>;
	/**
	 * Lets someone in from the lobby (`isInLobby: false`); an admitted bot's call goes on to `established`.
	 * @example
	 * await stub.meeting(made).admit(botParticipantId); // a bot's participant id is its call's myParticipantId
	 */
	admit: (who: string) => Promise<MeetingParticipant>;
	/**
	 * Any far-side action by name (`POST …/participants/{who}/{action}`), for one this version has no
	 * method for; the named methods above are the same.
	 * @example
	 * await stub.meeting(made).act("alice", "mute");
	 */
	act: (who: string, action: string) => Promise<MeetingParticipant>;
	/**
	 * Ends the meeting (`DELETE /_stub/meetings/{id}`): every joined call ends (`deleted`, 200/5020).
	 * @example
	 * afterEach(() => stub.meeting(made).delete());
	 */
	delete: () => Promise<void>;
};

/** An identity of an identitySet: `{ id, displayName }` (and, for a user, `tenantId`). */
export type Identity = { id?: string; displayName?: string | null; tenantId?: string; [key: string]: unknown };

/** Who someone is: one (or more) of these kinds. */
export type IdentitySet = {
	user?: Identity;
	guest?: Identity;
	phone?: Identity;
	application?: Identity;
	applicationInstance?: Identity;
	[key: string]: unknown;
};

/** A media stream a person sends (the meeting fills the rest: label, sourceId from 1001 up). */
export type MeetingStreamSpec = {
	mediaType: "audio" | "video" | "videoBasedScreenSharing" | "data";
	/** Default `sendReceive`. */
	direction?: "inactive" | "sendOnly" | "receiveOnly" | "sendReceive";
	/** Digits, unused in the meeting; made up when absent. */
	sourceId?: string;
	label?: string;
	serverMuted?: boolean;
};

/** Someone in, or joining, a meeting. */
export type MeetingPerson = {
	/** A name for the controls and the script (1–128 characters, unique in the meeting). */
	key?: string;
	identity: IdentitySet;
	/** At most 8; none: one audio stream `sendReceive`. */
	streams?: MeetingStreamSpec[];
	isMuted?: boolean;
	metadata?: string | null;
};

/** The far-side actions a person can take (the controls and script steps of the same names). */
export type MeetingAction = "mute" | "unmute" | "startVideo" | "stopVideo" | "startSharing" | "stopSharing" | "admit";

/** One step of a meeting's script, `atMs` (≤ 24 h) after the meeting was made. */
export type MeetingScriptStep =
	| { atMs: number; action: "join"; person: MeetingPerson }
	| { atMs: number; action: "leave" | MeetingAction; key: string };

/** createMeeting()'s body (every field optional; the stub refuses an unknown one by name). */
export type NewMeeting = {
	/** Digits (≤ 20); 12 random digits when absent. */
	joinMeetingId?: string;
	passcode?: string | null;
	subject?: string | null;
	organizer?: IdentitySet;
	tenantId?: string | null;
	lobby?: {
		enabled: boolean;
		/** Who skips the lobby (default `organization`). */
		bypass?:
			| "organizer"
			| "organization"
			| "organizationAndFederated"
			| "everyone"
			| "invited"
			| "organizationExcludingGuests";
		/** A bot waiting longer is removed, its call ending 200/5855 (default 900 000). */
		timeoutMs?: number;
	};
	/** The people already in it (at most maxParticipants). */
	participants?: MeetingPerson[];
	/** 1–250, default 250. */
	maxParticipants?: number;
	/** Joined calls, 1–20, default 20. */
	maxCalls?: number;
	/** At most 1000 steps, run in time order by the meeting's clock. */
	script?: MeetingScriptStep[];
	/** When the script's `atMs` count from: the meeting's creation (default) or the first bot's call joining. */
	scriptStartsWhen?: "created" | "botJoins";
};

/** A mediaStream of a meeting participant. */
export type MeetingMediaStream = {
	mediaType: "audio" | "video" | "videoBasedScreenSharing" | "data";
	/** `main-audio`, `main-video`, `applicationsharing-video`, `data` unless given. */
	label: string;
	/** Unique in the meeting, kept while its sender stays. */
	sourceId: string;
	direction: "inactive" | "sendOnly" | "receiveOnly" | "sendReceive";
	serverMuted: boolean;
	[key: string]: unknown;
};

/** A participant of a meeting's roster, as Graph shapes it. */
export type MeetingParticipant = {
	id: string;
	info: { identity: IdentitySet; participantId?: string; [key: string]: unknown };
	mediaStreams: MeetingMediaStream[];
	isMuted: boolean;
	isInLobby: boolean;
	metadata: string | null;
	recordingInfo: Record<string, unknown> | null;
	/** In a delta roster, once, for someone who left: `{ reason: "left" }`. */
	removedState: { reason: string; [key: string]: unknown } | null;
	rosterSequenceNumber: number;
	[key: string]: unknown;
};

/** A meeting as the stub holds it (createMeeting(), `meeting(id).view()`). */
export type StubMeeting = {
	id: string;
	joinMeetingId: string | null;
	passcode: string | null;
	subject: string | null;
	chatInfo: { threadId: string; messageId: string; replyChainMessageId: string | null; [key: string]: unknown };
	joinWebUrl: string;
	tokenMeetingInfo: { token: string; [key: string]: unknown };
	/** The meeting's roster sequence number: one more for every change. */
	rosterSequenceNumber: number;
	participants: MeetingParticipant[];
	/** The calls joined to it, and the last change each has taken. */
	calls: { callId: string; rosterSequenceNumber: number }[];
	/** How far the script ran (view() only). */
	script?: {
		done: number;
		pending: number;
		skipped: { index: number; message: string }[];
		/** Present while the script waits for the first bot's call (`scriptStartsWhen: "botJoins"`). */
		waitingForBot?: true;
	};
	[key: string]: unknown;
};

/** configure()'s options. */
export type ConfigureOptions = {
	/** Replace the whole configuration (PUT) instead of merging into it (PATCH). Default false. */
	replace?: boolean;
	/** As the tester of this token (default `stub.token`). */
	token?: string;
};

/** reset()'s options. */
export type ResetOptions = {
	/** Also drop the namespace's default configuration. Default false. */
	config?: boolean;
	/** The namespace of this token (default `stub.token`). */
	token?: string;
};

/** A keypad key in either spelling: the key (`"#"`) or Graph's `tone` name (`"pound"`); `flash` has no key. */
export type Tone =
	| "0"
	| "1"
	| "2"
	| "3"
	| "4"
	| "5"
	| "6"
	| "7"
	| "8"
	| "9"
	| "*"
	| "#"
	| "A"
	| "B"
	| "C"
	| "D"
	| "tone0"
	| "tone1"
	| "tone2"
	| "tone3"
	| "tone4"
	| "tone5"
	| "tone6"
	| "tone7"
	| "tone8"
	| "tone9"
	| "star"
	| "pound"
	| "a"
	| "b"
	| "c"
	| "d"
	| "flash";

/** requests()' filters (every one optional; validated by the stub, a wrong one is a 400 naming it). */
export type RequestFilter = {
	/** The route's name: `playPrompt`, `answer`, `recordResponse`, `createOperation`, `hangUp`, … */
	route?: string;
	method?: string;
	/** The request's path, exactly. */
	path?: string;
	/** A status (`404`) or a class (`"4xx"`). */
	status?: number | string;
	/** Only requests at or after this time. */
	since?: Date | string;
	/** A JSON sub-document of the request body: an object matches by subset, an array by an ordered subsequence. */
	bodyContains?: unknown;
	/** Page size while reading (1–100); every page is read. */
	top?: number;
	/** Only the number of matches. */
	count?: boolean;
};

/** One journaled request. */
export type JournalRequest = {
	sequence: number;
	dateTime: string;
	/** `bot` (Graph's routes, recording downloads) or `tester` (/_stub controls). */
	source: string;
	method: string;
	path: string;
	query: string;
	/** `playPrompt`, `createOperation`, …; `refused`: refused before it reached a call (across the namespace only). */
	route: string;
	status: number;
	outcome: string;
	clientRequestId: string;
	requestBody?: unknown;
	responseBody?: unknown;
	requestBodyTruncated?: true;
	responseBodyTruncated?: true;
	fault?: { status: number; code?: string; retryAfterSeconds?: number; [key: string]: unknown };
	delayMs?: number;
	/** With requests() across the namespace: the call it belongs to (none for a refused request). */
	callId?: string;
};

/** One notification of the delivery journal. */
export type StubNotification = {
	sequence: number;
	changeType: string;
	/** The delivery state: `pending`, `delivered` or `failed`. */
	state: string;
	/** The call's state it announced (a notification about the call), else null. */
	callState: string | null;
	/** The operation's `@odata.type` (a notification about an operation), else null. */
	operationType: string | null;
	/** The operation's status it announced (`running`, `completed`, `failed`), else null. */
	operationStatus: string | null;
	operationId: string | null;
	/**
	 * A roster notification's participants (`updated` on `…/participants`): the whole roster, or with
	 * `isDeltaRosterEnabled` only those that changed (one that left with `removedState`); else null.
	 * Read by the driver from `payload`.
	 */
	roster: MeetingParticipant[] | null;
	resourceUrl?: string;
	createdDateTime: string;
	nextAttemptDateTime: string | null;
	attempts: { attempt: number; dateTime: string; status: number | null; error: string | null }[];
	/** The commsNotifications body as sent. */
	payload: unknown;
};

/** A call resource (what Graph's GET returns; the rest is what the bot sent). */
export type StubCall = { id: string; state: string; direction: string; [key: string]: unknown };

/** The call's timeline, as waitFor()'s predicate sees it at once and after each change. */
export type CallSnapshot = {
	callId: string;
	/** false: no such call (yet, or any more). */
	exists: boolean;
	/** A call resource's state and direction (none for a call of operations only). */
	call?: { state: string; direction: string };
	participants: unknown[];
	/** The first 100 operations, in sequence order, status spelt as notifications spell it (`running`). */
	operations: { id: string; type: string; status: string }[];
	/** The newest 200 requests, oldest first (bodies: requests()). */
	requests: {
		sequence: number;
		dateTime: string;
		route: string;
		method: string;
		path: string;
		status: number;
		outcome: string;
		faultStatus?: number;
		delayMs?: number;
	}[];
	notifications: StubNotification[];
	/** Injected faults and Retry-After violations. */
	journal: { sequence: number; dateTime: string; kind: string; route: string; [key: string]: unknown }[];
};

/** waitFor()'s options. */
export type WaitForOptions = {
	/** Give up after this long (default 5000 ms). */
	timeoutMs?: number;
};

type DriverHelpers = keyof ReturnType<typeof driver>;

const CLI = join(dirname(fileURLToPath(import.meta.url)), "cli.js");

/**
 * Starts the stub in a child process (on this same Node) and
 * resolves once it serves. The child is tied to this process by a pipe: if this process ends without
 * close() — a crash, a SIGKILL, a test runner that exits — the stub and its workerd stop with it.
 */
export async function startStub(options: StartStubOptions = {}): Promise<Stub> {
	// A young generation of 1 MB: the server's own JS does little once workerd serves, and this keeps
	// about 18 MB less resident while it idles.
	const args = ["--max-semi-space-size=1", CLI, "--json", "--port", String(options.port ?? 0)];
	if (options.host !== undefined) args.push("--host", options.host);
	if (options.stateDir !== undefined) args.push("--state", options.stateDir);
	if (options.https) args.push("--https");
	if (typeof options.https === "object" && options.https.dir !== undefined) args.push("--tls-dir", options.https.dir);
	if (options.authMode !== undefined) args.push("--auth-mode", options.authMode);
	const tokens = options.tokens ?? [DEFAULT_TOKEN];
	for (const token of tokens) args.push("--token", token);

	const child = spawn(process.execPath, args, {
		stdio: ["ignore", "pipe", "pipe", "pipe"],
		env: { ...process.env, [LIFELINE_ENV]: "3" },
	});
	const ready = await waitForReady(child, options.timeoutMs ?? 30_000);
	// Neither the stub nor its pipes keep this process alive: a runner that never calls close() still
	// exits, and the stub follows it.
	child.unref();
	for (const stream of [child.stdout, child.stderr, child.stdio[3]]) (stream as Socket | null)?.unref();

	const ca = ready.caFile === null ? undefined : await readFile(ready.caFile, "utf8");
	const token = tokens[0] ?? DEFAULT_TOKEN;
	const exited = new Promise<void>((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once("exit", () => resolve());
	});
	const stub: Stub = {
		url: ready.url,
		graphUrl: `${ready.url}/beta`,
		caFile: ready.caFile ?? undefined,
		ca,
		stateDir: ready.stateDir,
		memory: ready.memory,
		token,
		trustCa: () => trustInThisProcess(ca, ready.caFile),
		headers: (as = token) => ({ Authorization: `Bearer ${as}` }),
		...(driver({ url: ready.url, token, ca }) as Pick<Stub, DriverHelpers>),
		close: async () => {
			if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
			const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
			await exited;
			clearTimeout(timer);
		},
	};
	if (options.config !== undefined) {
		try {
			for (const as of tokens) await stub.configure(options.config, { replace: true, token: as });
		} catch (error) {
			await stub.close();
			throw error;
		}
	}
	return stub;
}

type DefaultCas = {
	setDefaultCACertificates?: (certs: string[]) => void;
	getCACertificates?: (type: "default") => string[];
};

function trustInThisProcess(ca: string | undefined, caFile: string | null): void {
	if (ca === undefined) throw new Error("trustCa(): the stub serves plain HTTP (start it with https)");
	const { setDefaultCACertificates, getCACertificates } = tls as unknown as DefaultCas;
	if (!setDefaultCACertificates || !getCACertificates) {
		throw new Error(
			`trustCa() needs Node 22.19 or newer (this is ${process.version}): keep the CA in a fixed folder (startStub({ https: { dir } })) and start this process with NODE_EXTRA_CA_CERTS=<dir>/ca.pem (now: ${caFile})`,
		);
	}
	setDefaultCACertificates([...getCACertificates("default"), ca]);
}

/** Reads the child's `--json` line; fails with what it printed if it exits or takes too long first. */
function waitForReady(child: ChildProcess, timeoutMs: number): Promise<ReadyLine> {
	return new Promise((resolve, reject) => {
		let stdout = "";
		let stderr = "";
		const fail = (why: string) => {
			clearTimeout(timer);
			child.kill("SIGKILL");
			reject(new Error(`graph-comms-stub did not start: ${why}\n${stderr}${stdout}`.trimEnd()));
		};
		const timer = setTimeout(() => fail(`not serving after ${timeoutMs} ms`), timeoutMs);
		const onStderr = (chunk: string) => {
			stderr += chunk;
		};
		const onStdout = (chunk: string) => {
			stdout += chunk;
			const line = stdout.split("\n").find((l) => l.startsWith("{"));
			if (line === undefined || !stdout.includes("\n", stdout.indexOf(line))) return;
			clearTimeout(timer);
			child.removeListener("exit", onExit);
			// From now on its output is read and dropped, so that it never blocks on a full pipe.
			child.stdout?.removeListener("data", onStdout).resume();
			child.stderr?.removeListener("data", onStderr).resume();
			resolve(JSON.parse(line) as ReadyLine);
		};
		child.stderr?.setEncoding("utf8").on("data", onStderr);
		child.stdout?.setEncoding("utf8").on("data", onStdout);
		const onExit = (code: number | null, signal: string | null) => fail(`it exited (${signal ?? code})`);
		child.once("exit", onExit);
		child.once("error", (error) => fail(error.message));
	});
}
