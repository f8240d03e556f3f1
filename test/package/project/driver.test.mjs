// Runs in the fresh project (see ../run.ts) on Node 22 under node:test: the test driver's helpers that
// the example bot's tests (examples/bot-test) do not reach — tones in both spellings, a supplied
// recording, the namespace-wide journal, configure's merge and replace, reset({ config }); the meeting
// helpers, with waitFor() on a bot's roster; and the shipped examples/meeting-bot.mjs.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startStub } from "graph-comms-stub";

let stub;
before(async () => {
	stub = await startStub();
});
after(() => stub.close());

const graph = (method, path, body) =>
	fetch(`${stub.graphUrl}${path}`, {
		method,
		headers: { ...stub.headers(), "Content-Type": "application/json" },
		body: body && JSON.stringify(body),
	});

/** 16 kHz mono 16-bit PCM as a WAV file, every sample 1234. */
function wav(ms) {
	const data = ms * 32;
	const bytes = Buffer.alloc(44 + data);
	bytes.write("RIFF", 0);
	bytes.writeUInt32LE(36 + data, 4);
	bytes.write("WAVEfmt ", 8);
	bytes.writeUInt32LE(16, 16);
	bytes.writeUInt16LE(1, 20);
	bytes.writeUInt16LE(1, 22);
	bytes.writeUInt32LE(16_000, 24);
	bytes.writeUInt32LE(32_000, 28);
	bytes.writeUInt16LE(2, 32);
	bytes.writeUInt16LE(16, 34);
	bytes.write("data", 36);
	bytes.writeUInt32LE(data, 40);
	for (let at = 44; at < bytes.length; at += 2) bytes.writeInt16LE(1234, at);
	return new Uint8Array(bytes);
}

test("configure merges, { replace: true } replaces; reset({ config: true }) drops it", async () => {
	await stub.configure({ callbackUri: "http://127.0.0.1:9/hook", calling: { setupMs: 10 } }, { replace: true });
	await stub.configure({ calling: { promptMs: 20 } });
	const read = async () => (await (await fetch(`${stub.url}/_stub/config`, { headers: stub.headers() })).json()).config;
	assert.deepEqual(await read(), { callbackUri: "http://127.0.0.1:9/hook", calling: { setupMs: 10, promptMs: 20 } });
	await stub.configure({ calling: { setupMs: 30 } }, { replace: true });
	assert.deepEqual(await read(), { calling: { setupMs: 30 } });
	await stub.reset();
	assert.deepEqual(await read(), { calling: { setupMs: 30 } });
	await stub.reset({ config: true });
	assert.equal(await read(), null);
	await assert.rejects(stub.configure({ calling: { setupMs: -1 } }), /400/);
});

test("a call driven from the far side: tones in both spellings, a supplied recording, the journals", async () => {
	let webhook;
	const heard = [];
	const { createServer } = await import("node:http");
	webhook = createServer((request, response) => {
		let body = "";
		request.on("data", (chunk) => {
			body += chunk;
		});
		request.on("end", () => {
			heard.push(...JSON.parse(body).value);
			response.writeHead(202).end();
		});
	});
	await new Promise((resolve) => webhook.listen(0, "127.0.0.1", resolve));
	const callbackUri = `http://127.0.0.1:${webhook.address().port}/`;
	try {
		await stub.reset({ config: true });
		await stub.configure({ calling: { setupMs: 20, recordMs: 60_000 } });
		const call = await stub.incomingCall({ callbackUri });
		assert.equal(call.state, "incoming");
		const answered = await graph("POST", `/communications/calls/${call.id}/answer`, {
			callbackUri,
			mediaConfig: { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
			acceptedModalities: ["audio"],
		});
		assert.equal(answered.status, 202);
		await stub.waitFor(call.id, (t) => t.call?.state === "established");
		assert.equal((await graph("POST", `/communications/calls/${call.id}/subscribeToTone`, {})).status, 200);
		await stub.supplyRecording(call.id, wav(250));
		const record = await graph("POST", `/communications/calls/${call.id}/recordResponse`, { stopTones: ["#"] });
		assert.equal(record.status, 200);
		await stub.pressTones(call.id, ["1", "star", "pound"], { delayMs: 150 }); // 450 ms of recording: longer than the audio
		const done = await stub.waitFor(call.id, (t) =>
			t.notifications.find(
				(n) => n.operationType === "#microsoft.graph.recordOperation" && n.operationStatus === "completed",
			),
		);
		const tones = (await stub.notifications(call.id))
			.map((n) => n.payload.value[0].resourceData.toneInfo?.tone)
			.filter(Boolean);
		assert.deepEqual(tones, ["tone1", "star", "pound"]);
		const recorded = done.payload.value[0].resourceData;
		const audio = await fetch(recorded.recordingLocation, {
			headers: { Authorization: `Bearer ${recorded.recordingAccessToken}` },
		});
		const got = Buffer.from(await audio.arrayBuffer());
		assert.deepEqual([got.readInt16LE(44), got.readInt16LE(44 + 249 * 32)], [1234, 1234]); // the supplied audio
		assert.equal(await stub.requests(call.id, { route: "pressTones", count: true }), 1);
		const everywhere = await stub.requests(undefined, { route: "recordResponse" });
		assert.deepEqual(
			everywhere.map((r) => [r.callId, r.requestBody]),
			[[call.id, { stopTones: ["#"] }]],
		);
		await assert.rejects(stub.requests(call.id, { rout: "x" }), /400/);
		await stub.hangUp(call.id);
		await stub.waitFor(call.id, (t) => t.call?.state === "terminated");
		assert.equal((await stub.call(call.id)).state, "terminated");
		assert.equal(await stub.call("nobody"), undefined);
		assert.deepEqual(await stub.operations("nobody"), []);
		await assert.rejects(
			stub.waitFor(call.id, () => false, { timeoutMs: 300 }),
			/nothing matched within 300 ms; .*state terminated/,
		);
	} finally {
		webhook.close();
	}
});

/** A webhook that answers 202 to every notification. */
async function quietWebhook() {
	const { createServer } = await import("node:http");
	const server = createServer((request, response) => request.resume().on("end", () => response.writeHead(202).end()));
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	return { server, callbackUri: `http://127.0.0.1:${server.address().port}/` };
}

test("a meeting's far side from the driver; waitFor() sees the bot's roster change", async () => {
	const { server, callbackUri } = await quietWebhook();
	try {
		await stub.reset({ config: true });
		await stub.configure({ calling: { setupMs: 20 } });
		const made = await stub.createMeeting({
			passcode: "psw123",
			participants: [{ key: "alice", identity: { user: { id: "a1", displayName: "Alice" } } }],
		});
		const joined = await graph("POST", "/communications/calls", {
			callbackUri,
			requestedModalities: ["audio"],
			mediaConfig: { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
			meetingInfo: {
				"@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo",
				joinMeetingId: made.joinMeetingId,
				passcode: "psw123",
			},
		});
		assert.equal(joined.status, 201);
		const call = await joined.json();
		const meeting = stub.meeting(made);
		const bob = await meeting.join({ key: "bob", identity: { guest: { id: "g1", displayName: "Bob" } } });
		const told = await stub.waitFor(call.id, (t) =>
			t.notifications.find((n) => n.roster?.some((p) => p.id === bob.id)),
		);
		assert.deepEqual(
			told.roster.map((p) => p.mediaStreams.map((s) => s.sourceId)),
			(await meeting.roster()).map((p) => p.mediaStreams.map((s) => s.sourceId)),
		);
		assert.equal((await meeting.mute("bob")).isMuted, true);
		assert.equal((await meeting.unmute("bob")).isMuted, false);
		assert.equal((await meeting.startVideo("alice")).mediaStreams.at(-1).mediaType, "video");
		assert.equal((await meeting.stopVideo("alice")).mediaStreams.at(-1).direction, "receiveOnly");
		const share = (await meeting.startSharing("bob")).mediaStreams.find(
			(s) => s.mediaType === "videoBasedScreenSharing",
		);
		await stub.waitFor(call.id, (t) =>
			t.notifications.some((n) => n.roster?.some((p) => p.mediaStreams.some((s) => s.sourceId === share.sourceId))),
		);
		assert.equal((await meeting.stopSharing("bob")).mediaStreams.at(-1).direction, "receiveOnly");
		await meeting.leave("bob");
		assert.deepEqual(
			(await meeting.roster()).map((p) => p.id),
			[made.participants[0].id, call.myParticipantId],
		);
		await assert.rejects(meeting.admit("bob"), /404/);
		assert.deepEqual(
			(await meeting.view()).calls.map((c) => c.callId),
			[call.id],
		);
		await meeting.delete();
		assert.equal(await meeting.view(), undefined);
		await stub.waitFor(call.id, (t) => t.call?.state === "terminated");
	} finally {
		server.close();
	}
});

test("the shipped examples/meeting-bot.mjs joins, maps sourceIds, leaves", async () => {
	const { execFile } = await import("node:child_process");
	const { promisify } = await import("node:util");
	const example = new URL("./node_modules/graph-comms-stub/examples/meeting-bot.mjs", import.meta.url);
	const { stdout } = await promisify(execFile)(process.execPath, [example.pathname], {
		env: { ...process.env, STUB: stub.url, PORT: "0", TOKEN: stub.token },
		timeout: 30_000,
	});
	for (const line of [
		"  in the meeting: Alice, Meeting Bot (me)",
		"  Alice shares a screen: sourceId 1005 (subscribe to it to see it)",
		"  - Bob left",
		"  sources: 1003 Meeting Bot (me) audio",
		"  heard deleted terminated 200/5001",
		"Done.",
	])
		assert.ok(stdout.includes(`${line}\n`), `no "${line}" in:\n${stdout}`);
});
