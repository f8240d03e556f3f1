import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { openApiPath } from "../../src/openapi/document";
import { ROUTES } from "../../src/routes/route-table";
import { establishedCall, PROMPT } from "../actions/helpers";
import { advance, callUrl, configure, newTester, startIncoming, TARGET, type Tester } from "../calls/helpers";
import { json, ORIGIN, operationsUrl } from "../helpers/graph";
import { byJoinId, connect, joinCall, meetingAction, newMeeting, person, rosters } from "../meetings/helpers";
import { expectConforms, openApi, templateOf } from "./conforms";

// THE GUARD for the OpenAPI document: every row of the route table (src/routes/route-table.ts) gets a
// real success response here, checked against GET /_stub/openapi.json (status listed, body valid against
// its schema). The document is generated from the table, so a route cannot be missing from it; this
// checks that what it says is what the route answers. A new route fails the last test ("no checked
// response") until a probe for it is added below, in the group it belongs to. A route family with one
// shape counts once: /app/calls and /communications/calls, `microsoft.graph.`-qualified and short
// spellings, and any letter case of the last segment are one route here.

const BETA = "beta";

/** The route (method and canonical template) a documented path template stands for. */
const canonical = (method: string, template: string) =>
	`${method.toUpperCase()} ${template
		.replace("/{version}/app/calls", "/{version}/communications/calls")
		.replace(/\/microsoft\.graph\./g, "/")
		.toLowerCase()}`;

const checked = new Set<string>();

type Probe = { token: string; body?: unknown; headers?: Record<string, string>; raw?: BodyInit };

/** Sends through the Worker, checks the response against the document, expects `status`; returns the body. */
async function probe(method: string, url: string, status: number, { token, body, headers, raw }: Probe) {
	const response = await exports.default.fetch(url, {
		method,
		headers: {
			Authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { "Content-Type": "application/json" }),
			...headers,
		},
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
		...(raw === undefined ? {} : { body: raw }),
	});
	const text = await response.clone().text();
	expect(response.status, `${method} ${url}: ${text.slice(0, 300)}`).toBe(status);
	await expectConforms(method, url, response);
	const template = templateOf(await openApi(), new URL(url).pathname) ?? "";
	checked.add(canonical(method, template));
	const isJson = response.headers.get("Content-Type")?.includes("json");
	return (isJson ? JSON.parse(text) : {}) as Record<string, unknown> & { id: string };
}

/** A WebSocket route: 101 as documented (the conformance check reads no body of a switched response). */
async function probeSocket(path: string, token: string) {
	const url = `${ORIGIN}${path}`;
	const response = await exports.default.fetch(`${url}?access_token=${token}`, { headers: { Upgrade: "websocket" } });
	expect(response.status, path).toBe(101);
	response.webSocket?.accept();
	response.webSocket?.close();
	const document = await openApi();
	const template = templateOf(document, new URL(url).pathname) ?? "";
	expect(document.paths[template]?.get?.responses["101"], path).toBeDefined();
	checked.add(canonical("GET", template));
}

const ACTION_BODIES: Record<string, unknown> = {
	subscribeToTone: { clientContext: "c" },
	sendDtmfTones: { tones: ["tone1", "pound"] },
	updateRecordingStatus: { status: "recording", clientContext: "c" },
	mute: {},
	unmute: {},
	changeScreenSharingRole: { role: "sharer" },
	addLargeGalleryView: {},
	"participants/invite": { participants: [TARGET] },
	startRecording: {},
	stopRecording: {},
	startTranscription: {},
	stopTranscription: {},
	playPrompt: { prompts: [PROMPT] },
	cancelMediaProcessing: {},
	recordResponse: { maxRecordDurationInSeconds: 5 },
};

describe("every route's answer, checked against the OpenAPI document", { timeout: 30_000 }, () => {
	const tester: Tester = newTester("coverage");
	const token = tester.token;
	const stub = (path: string) => `${ORIGIN}/_stub${path}`;

	it("public routes and the namespace's configuration", async () => {
		for (const path of ["/", "/openapi.json", "/health", "/.well-known/openid-configuration", "/.well-known/keys"])
			await probe("GET", stub(path), 200, { token });
		await probe("POST", stub("/keys/rotate"), 200, { token });
		await probe("PUT", stub("/config"), 200, { token, body: { callbackUri: tester.callbackUri } });
		await probe("PATCH", stub("/config"), 200, { token, body: { calling: { setupMs: 3_600_000 } } });
		await probe("GET", stub("/config"), 200, { token });
		await probe("DELETE", stub("/config"), 200, { token });
	});

	it("operations, and a call's tester reads, journals, configuration and reset", async () => {
		const url = operationsUrl("coverage-ops");
		const created = await probe("POST", url, 201, { token, body: { clientContext: "c1" } });
		await probe("GET", url, 200, { token });
		await probe("GET", `${url}/${created.id}`, 200, { token });
		await probe("PATCH", `${url}/${created.id}`, 200, { token, body: { status: "Completed" } });
		const call = stub("/calls/coverage-ops");
		await probe("GET", `${call}/operations`, 200, { token });
		for (const path of ["/notifications", "/journal", "/requests", "/config"])
			await probe("GET", `${call}${path}`, 200, { token });
		await probe("GET", stub("/requests"), 200, { token });
		await probe("PUT", `${call}/config`, 200, { token, body: { callbackUri: tester.callbackUri } });
		await probe("DELETE", `${call}/config`, 200, { token });
		await probe("GET", stub("/calls"), 200, { token });
		await probeSocket("/_stub/calls/coverage-ops/live", token);
		await probeSocket("/_stub/live", token);
		await probe("DELETE", `${url}/${created.id}`, 204, { token });
		await probe("DELETE", call, 204, { token });
		await probe("DELETE", stub("/calls"), 204, { token });
	});

	it("a call: create, read, every action and operation action, participants, audio routing groups, far side", async () => {
		const call = await establishedCall(tester, {}, BETA);
		const url = callUrl(call.id, BETA);
		await probe("GET", url, 200, { token });
		await probe("GET", stub(`/calls/${call.id}`), 200, { token });
		await probe("POST", `${url}/keepAlive`, 200, { token });
		for (const [action, body] of Object.entries(ACTION_BODIES)) {
			const status = ROUTES.find((r) => r.method === "POST" && r.path.endsWith(`/calls/:callId/${action}`))?.doc
				.responses;
			await probe("POST", `${url}/${action}`, Number(Object.keys(status ?? { 200: 0 })[0]), { token, body });
		}
		const participants = await probe("GET", `${url}/participants`, 200, { token });
		const far = (participants.value as { id: string }[]).at(-1)?.id ?? "";
		await probe("GET", `${url}/participants/${far}`, 200, { token });
		for (const action of ["mute", "startHoldMusic", "stopHoldMusic"])
			await probe("POST", `${url}/participants/${far}/${action}`, action === "mute" ? 200 : 202, { token, body: {} });
		const group = await probe("POST", `${url}/audioRoutingGroups`, 200, {
			token,
			body: { id: "coverage-group", routingMode: "oneToOne", sources: [far], receivers: [far] },
		});
		await probe("GET", `${url}/audioRoutingGroups`, 200, { token });
		await probe("GET", `${url}/audioRoutingGroups/${group.id}`, 200, { token });
		await probe("PATCH", `${url}/audioRoutingGroups/${group.id}`, 200, { token, body: { receivers: [far] } });
		await probe("DELETE", `${url}/audioRoutingGroups/${group.id}`, 204, { token });
		await probe("POST", stub(`/calls/${call.id}/tones`), 202, { token, body: { tones: ["1", "#"] } });
		await probe("POST", stub(`/calls/${call.id}/roster`), 202, {
			token,
			body: { join: [{ identity: { user: { id: "u-2", displayName: "Second" } } }] },
		});
		await probe("PUT", stub(`/calls/${call.id}/recording`), 204, {
			token,
			headers: { "Content-Type": "audio/wav" },
			raw: wav(),
		});
		await advance(tester, call.id, "operationFinished");
		await probe("DELETE", `${url}/participants/${far}`, 204, { token });
		await probe("POST", `${url}/transfer`, 202, { token, body: { transferTarget: TARGET } });
		await probe("DELETE", url, 204, { token });
	});

	it("a recording downloads with its access token", async () => {
		const recorder = newTester("coverage-rec");
		const call = await establishedCall(recorder, { recordMs: 1000 });
		const record = await probe("POST", `${callUrl(call.id)}/recordResponse`, 200, { token: recorder.token, body: {} });
		await advance(recorder, call.id, "operationFinished");
		// Finished once the call object has applied the step: read until the recording is there.
		let done: Record<string, unknown> = {};
		await vi.waitFor(
			async () => {
				done = await json(
					await exports.default.fetch(`${callUrl(call.id)}/operations/${record.id}`, {
						headers: { Authorization: `Bearer ${recorder.token}` },
					}),
				);
				expect(done.recordingLocation).toEqual(expect.any(String));
			},
			{ timeout: 5000, interval: 20 },
		);
		await probe("GET", String(done.recordingLocation), 200, { token: String(done.recordingAccessToken) });
	});

	it("an incoming call with the whole body the document shows; answered, rejected, redirected; the far side hangs up", async () => {
		await configure(tester);
		const full = {
			callbackUri: tester.callbackUri,
			source: { identity: { phone: { id: "+15550100", displayName: "Caller" } } },
			targets: [TARGET],
			tenantId: "tenant-1",
			requestedModalities: ["audio"],
			incomingContext: { sourceParticipantId: "source-1", observedParticipantId: "source-1" },
			callChainId: "c0ffee00-0000-4000-8000-000000000001",
			applicationMetadata: { source: "coverage" },
			apiVersion: "beta",
			answerTimeoutMs: 60_000,
		};
		const incoming = await probe("POST", stub("/incoming-calls"), 201, { token, body: full });
		const answer = {
			callbackUri: tester.callbackUri,
			mediaConfig: { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
		};
		await probe("POST", `${callUrl(incoming.id ?? "", BETA)}/answer`, 202, { token, body: answer });
		await probe("POST", stub(`/calls/${incoming.id}/hangup`), 202, { token, body: {} });
		const rejected = await startIncoming(tester);
		await probe("POST", `${callUrl(rejected.id)}/reject`, 202, { token, body: { reason: "busy" } });
		const redirected = await startIncoming(tester);
		await probe("POST", `${callUrl(redirected.id)}/redirect`, 202, { token, body: { targets: [TARGET] } });
	});

	it("a meeting: made, read, watched, its far side, ended; a bot's call joins it", async () => {
		const person = (name: string) => ({ key: name, identity: { user: { id: `${name}-id`, displayName: name } } });
		const meeting = await probe("POST", stub("/meetings"), 201, {
			token,
			body: { subject: "Coverage", participants: [person("Alice")], lobby: { enabled: true, bypass: "organizer" } },
		});
		const base = stub(`/meetings/${meeting.id}`);
		await probe("GET", base, 200, { token });
		await probeSocket(`/_stub/meetings/${meeting.id}/live`, token);
		await probe("POST", `${base}/participants`, 201, { token, body: person("Bob") });
		for (const action of ["admit", "mute", "unmute", "startVideo", "stopVideo", "startSharing", "stopSharing"])
			await probe("POST", `${base}/participants/Bob/${action}`, 200, { token });
		await probe("DELETE", `${base}/participants/Bob`, 204, { token });
		const joined = await probe("POST", `${ORIGIN}/v1.0/communications/calls`, 201, {
			token,
			body: {
				"@odata.type": "#microsoft.graph.call",
				callbackUri: tester.callbackUri,
				requestedModalities: ["audio"],
				mediaConfig: { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
				tenantId: "tenant-1",
				meetingInfo: {
					"@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo",
					joinMeetingId: meeting.joinMeetingId,
					passcode: null,
				},
			},
		});
		expect(joined.chatInfo).toMatchObject({ threadId: (meeting.chatInfo as { threadId: string }).threadId });
		await probe("DELETE", base, 204, { token });
	});

	it("online meeting lookups (by JoinWebUrl, by id, for a user, for /me) and an ended call's record", async () => {
		const organizer = { user: { id: "5810cede-0000-4000-8000-00000000000b", displayName: "Organizer" } };
		const meeting = await probe("POST", stub("/meetings"), 201, {
			token,
			body: { subject: "Lookup", organizer, tenantId: "tenant-1" },
		});
		const filter = `?$filter=${encodeURIComponent(`JoinWebUrl eq '${meeting.joinWebUrl}'`)}`;
		const user = `${ORIGIN}/v1.0/users/${organizer.user.id}/onlineMeetings`;
		const found = await probe("GET", `${user}${filter}`, 200, { token });
		const id = (found.value as { id: string }[])[0]?.id ?? "";
		await probe("GET", `${user}/${id}`, 200, { token });
		await probe("GET", `${ORIGIN}/v1.0/me/onlineMeetings${filter}`, 200, { token });
		await probe("GET", `${ORIGIN}/v1.0/me/onlineMeetings/${id}`, 200, { token });
		const vtc = `?$filter=${encodeURIComponent("VideoTeleconferenceId eq '123456789'")}`;
		await probe("GET", `${ORIGIN}/v1.0/communications/onlineMeetings${vtc}`, 200, { token });

		const recorded = newTester("coverage-records");
		const call = (await establishedCall(recorded)) as { id: string; callChainId?: string };
		// establishedCall sets the configuration; the record is filed by the configuration when the call ends.
		await configure(recorded, { callRecords: { delayMs: 0 } });
		await probe("DELETE", callUrl(call.id), 204, { token: recorded.token });
		const record = `${ORIGIN}/v1.0/communications/callRecords/${call.callChainId}`;
		await vi.waitFor(
			async () =>
				expect(
					(await exports.default.fetch(record, { headers: { Authorization: `Bearer ${recorded.token}` } })).status,
				).toBe(200),
			{ timeout: 5000, interval: 20 },
		);
		await probe("GET", `${record}?$expand=sessions($expand=segments),participants_v2`, 200, { token: recorded.token });
	});

	it("a bot in a meeting: the meetings list, lobby actions, mute all, content sharing sessions", async () => {
		const bots = newTester("coverage-bot");
		await configure(bots);
		const guest = (name: string) => ({ key: name, identity: { guest: { id: `${name}-id`, displayName: name } } });
		const made = await newMeeting(bots, {
			lobby: { enabled: true, bypass: "organization", timeoutMs: 3_600_000 },
			participants: [person("Alice"), guest("Gina"), guest("Gus")],
		});
		await probe("GET", stub("/meetings"), 200, { token: bots.token });
		const bot = await joinCall(bots, bots.callbackUri, { meetingInfo: byJoinId(made.joinMeetingId) }, BETA);
		await meetingAction(bots, "POST", `${made.id}/participants/${bot.myParticipantId}/admit`);
		await connect(bots, bot.id);
		await rosters(bots.hook, 1);
		const url = callUrl(bot.id, BETA);
		const [, gina, gus] = made.participants;
		await probe("POST", `${url}/participants/${gina?.id}/admitFromLobby`, 200, { token: bots.token, body: {} });
		await probe("POST", `${url}/participants/${gus?.id}/removeFromLobby`, 200, { token: bots.token, body: {} });
		await probe("POST", `${url}/participants/admitAllFromLobby`, 200, { token: bots.token, body: {} });
		await probe("POST", `${url}/participants/muteAll`, 200, { token: bots.token, body: {} });
		expect((await meetingAction(bots, "POST", `${made.id}/participants/Alice/startSharing`)).status).toBe(200);
		let sessionId = "";
		await vi.waitFor(
			async () => {
				const listed = await json(
					await exports.default.fetch(`${url}/contentSharingSessions`, {
						headers: { Authorization: `Bearer ${bots.token}` },
					}),
				);
				sessionId = String((listed.value as { id: string }[])[0]?.id ?? "");
				expect(sessionId).not.toBe("");
			},
			{ timeout: 5000, interval: 20 },
		);
		await probe("GET", `${url}/contentSharingSessions`, 200, { token: bots.token });
		await probe("GET", `${url}/contentSharingSessions/${sessionId}`, 200, { token: bots.token });
	});

	it("a compliance recording: the observed call made, read, hung up", async () => {
		const recorder = newTester("coverage-compliance");
		await configure(recorder);
		const started = await probe("POST", stub("/compliance-calls"), 201, {
			token: recorder.token,
			body: {
				callbackUri: recorder.callbackUri,
				participants: [person("alice", [{ mediaType: "audio", sourceId: "11" }]), person("bob", [])],
				observedKey: "alice",
			},
		});
		await probe("GET", stub(`/compliance-calls/${started.id}`), 200, { token: recorder.token });
		await probe("POST", stub(`/compliance-calls/${started.id}/hangup`), 200, { token: recorder.token });
	});

	it("covers every route of the route table (add a probe above for a new one)", () => {
		const routes = new Set(ROUTES.map((route) => canonical(route.method, openApiPath(route.path))));
		const missing = [...routes].filter((route) => !checked.has(route)).sort();
		expect(missing, "routes with no checked response: add a probe in test/openapi/route-coverage.test.ts").toEqual([]);
	});
});

describe("every request body in the OpenAPI document", () => {
	it("documents each field with a shape (none as an empty schema, which says nothing)", async () => {
		const document = await openApi();
		const bodies = new Set(ROUTES.flatMap((route) => (route.doc.body ? [route.doc.body.name] : [])));
		const vague: string[] = [];
		const walk = (node: unknown, at: string, isField: boolean) => {
			if (!node || typeof node !== "object" || Array.isArray(node)) return;
			if (isField && Object.keys(node).length === 0) vague.push(at);
			for (const [key, value] of Object.entries(node))
				if (key === "properties" && value && typeof value === "object")
					for (const [field, schema] of Object.entries(value)) walk(schema, `${at}.${field}`, true);
				else walk(value, at, false);
		};
		for (const name of bodies) walk(document.components.schemas[name], name, false);
		expect(vague).toEqual([]);
		// The check can fail: a field documented as anything is found.
		const found: string[] = [];
		const probeWalk = (schema: unknown) => {
			const before = vague.length;
			walk(schema, "Probe", false);
			found.push(...vague.splice(before));
		};
		probeWalk({ type: "object", properties: { anything: {} } });
		expect(found).toEqual(["Probe.anything"]);
	});
});

/** A tiny valid WAV: 16 kHz mono 16-bit, 100 samples of silence. */
function wav(): Uint8Array {
	const samples = 100;
	const bytes = new Uint8Array(44 + samples * 2);
	const view = new DataView(bytes.buffer);
	const text = (at: number, s: string) => {
		for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i));
	};
	text(0, "RIFF");
	view.setUint32(4, 36 + samples * 2, true);
	text(8, "WAVE");
	text(12, "fmt ");
	view.setUint32(16, 16, true);
	view.setUint16(20, 1, true);
	view.setUint16(22, 1, true);
	view.setUint32(24, 16_000, true);
	view.setUint32(28, 32_000, true);
	view.setUint16(32, 2, true);
	view.setUint16(34, 16, true);
	text(36, "data");
	view.setUint32(40, samples * 2, true);
	return bytes;
}
