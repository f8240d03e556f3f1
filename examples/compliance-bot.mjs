// A compliance-recording bot against the stub: a recording policy says Alice's calls must be recorded;
// Alice calls Bob, the stub rings this bot with the incoming context pointing at Alice; the bot answers
// with app-hosted media, reads the roster (both people's streams), reports that it records, and sees
// its call end when Alice hangs up, then reads the call's record — and prints everything it hears. No
// dependencies: Node 20+.
//
//   npm start                              # in one terminal: the stub on http://127.0.0.1:8787
//   node examples/compliance-bot.mjs       # in another: STUB=… and PORT=… change where they listen
import { createServer } from "node:http";

const STUB = process.env.STUB ?? "http://127.0.0.1:8787";
const PORT = Number(process.env.PORT ?? 3979);
const CALLBACK = `http://127.0.0.1:${PORT}/api/calling`;
const AUTH = { Authorization: "Bearer compliance-example-bot", "Content-Type": "application/json" };
// A real bot puts its media platform's session blob here (the stub keeps it, and sends no media).
const APP_HOSTED = { "@odata.type": "#microsoft.graph.appHostedMediaConfig", blob: "<media session blob>" };

async function graph(method, path, body) {
	const response = await fetch(`${STUB}${path}`, { method, headers: AUTH, body: body && JSON.stringify(body) });
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
	return response.status === 200 || response.status === 201 ? response.json() : undefined;
}
const action = (callId, name, body = {}) => graph("POST", `/v1.0/communications/calls/${callId}/${name}`, body);

const who = (participant) => {
	const identity = participant.info.identity;
	return (identity.user ?? identity.applicationInstance ?? identity.application)?.displayName ?? participant.id;
};

// The webhook: every notification goes to whoever waits for one like it.
const waiting = [];
function hear(notification) {
	const data = notification.resourceData;
	const what = Array.isArray(data)
		? `roster: ${data.map(who).join(", ")}`
		: [data.state, data.resultInfo && `${data.resultInfo.code}/${data.resultInfo.subcode}`].filter(Boolean).join(" ");
	console.log(
		`  heard ${notification.changeType.padEnd(7)} ${notification.resourceUrl.replace(/^\/communications/, "")}  ${what}`,
	);
	for (const [i, wait] of waiting.entries())
		if (wait.matches(notification)) {
			waiting.splice(i, 1);
			wait.resolve(notification);
			break;
		}
}
const until = (matches) => new Promise((resolve) => waiting.push({ matches, resolve }));

const webhook = createServer((request, response) => {
	let body = "";
	request.on("data", (chunk) => (body += chunk));
	request.on("end", () => {
		response.writeHead(202).end();
		for (const notification of JSON.parse(body).value) hear(notification);
	});
});
await new Promise((resolve) => webhook.listen(PORT, "127.0.0.1", resolve));

// The call's record becomes readable `callRecords.delayMs` after the call ends (Graph takes minutes).
await graph("PUT", "/_stub/config", { calling: { setupMs: 300 }, callRecords: { delayMs: 500 } });

console.log("1. A recording policy covers Alice; Alice calls Bob");
const ringing = until((n) => n.changeType === "created");
const person = (name, streams) => ({
	key: name.toLowerCase(),
	identity: { user: { id: `${name.toLowerCase()}-id`, displayName: name } },
	streams,
});
const observed = await graph("POST", "/_stub/compliance-calls", {
	callbackUri: CALLBACK,
	participants: [
		person("Alice", [{ mediaType: "audio" }, { mediaType: "video" }]),
		person("Bob", [{ mediaType: "audio" }]),
	],
	observedKey: "alice",
	recordingTimeoutMs: 10_000,
});
console.log(`  observed call ${observed.id} (${observed.kind}, ${observed.state})`);

console.log("2. The bot is rung for the observed participant");
const call = (await ringing).resourceData;
const context = call.incomingContext;
// Microsoft's compliance-recording sample ignores any incoming call without an observed participant.
if (!context?.observedParticipantId) throw new Error("not a policy-based recording invite");
const observedPerson = observed.participants.find((one) => one.id === context.observedParticipantId);
console.log(`  observedParticipantId ${context.observedParticipantId} is ${who(observedPerson)}`);
console.log(
	`  meetingInfo ${call.meetingInfo["@odata.type"]}, inviteReasons ${call.applicationMetadata.botData.inviteReasons}`,
);

console.log("3. Answers with app-hosted media");
const roster = until((n) => Array.isArray(n.resourceData));
await action(call.id, "answer", { callbackUri: CALLBACK, mediaConfig: APP_HOSTED, acceptedModalities: ["audio"] });
for (const participant of (await roster).resourceData)
	console.log(
		`  ${who(participant).padEnd(12)} ${participant.mediaStreams.map((s) => `${s.mediaType}/${s.direction}/${s.sourceId}`).join(" ")}`,
	);

console.log("4. Reports that it records (only now may it keep media)");
const recording = await action(call.id, "updateRecordingStatus", { status: "recording", clientContext: "rec-1" });
console.log(`  ${recording["@odata.type"]} ${recording.status}`);
const seen = await graph("GET", `/_stub/compliance-calls/${observed.id}`);
console.log(`  the observed call sees its recorder ${seen.recorder.state}, ${seen.recorder.recordingStatus}`);

console.log("5. Alice hangs up");
const ended = until((n) => n.changeType === "deleted" && n.resourceData.state === "terminated");
await graph("POST", `/_stub/compliance-calls/${observed.id}/hangup`);
const { resultInfo } = (await ended).resourceData;
console.log(`  the bot's call ended ${resultInfo.code}/${resultInfo.subcode}: ${resultInfo.message}`);

console.log("6. Reads the call's record (its id is the callChainId the invite carried)");
const expand = "$expand=sessions($expand=segments),participants_v2";
let record;
for (let tries = 0; !record; tries++) {
	// 404 until the record is readable, as in Graph: try again shortly.
	const response = await fetch(`${STUB}/v1.0/communications/callRecords/${call.callChainId}?${expand}`, {
		headers: AUTH,
	});
	if (response.ok) record = await response.json();
	else if (response.status !== 404 || tries === 40) throw new Error(`callRecord: ${response.status}`);
	else await new Promise((resolve) => setTimeout(resolve, 250));
}
const named = (one) => Object.values(one.identity).find(Boolean)?.displayName ?? one.id;
const segments = record.sessions.reduce((count, session) => count + session.segments.length, 0);
console.log(`  ${record.type}, ${record.modalities.join(" and ")}`);
console.log(`  participants: ${record.participants_v2.map(named).join(", ")}`);
console.log(`  ${record.sessions.length} sessions, ${segments} segments`);
console.log(`  ${record.startDateTime} to ${record.endDateTime}`);

webhook.close();
console.log("Done.");
