// A tiny meeting bot against the stub: joins a Teams meeting by its joinMeetingId and passcode, keeps a
// map from each media sourceId to the person sending it as people join and leave, sets its recording
// status, notices a screen share (and whose sourceId to subscribe to), and leaves once it is alone —
// printing everything it learns. No dependencies: Node 20+ (fetch, node:http).
//
//   npm start                            # in one terminal: the stub on http://127.0.0.1:8787
//   node examples/meeting-bot.mjs        # in another: makes a scripted meeting and joins it
//   JOIN_MEETING_ID=… PASSCODE=… node examples/meeting-bot.mjs   # joins a meeting you made instead
//
// STUB, PORT (the webhook's; 0 picks a free one), TOKEN and STAY_MS (leave after this long at most)
// change the rest.
import { createServer } from "node:http";

const STUB = process.env.STUB ?? "http://127.0.0.1:8787";
const PORT = Number(process.env.PORT ?? 3978);
const AUTH = {
	Authorization: `Bearer ${process.env.TOKEN ?? "meeting-example-bot"}`,
	"Content-Type": "application/json",
};
const STAY_MS = Number(process.env.STAY_MS ?? 60_000);
const SERVICE_HOSTED = { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" };
// beta: its participants carry recordingInfo and removedState beside v1.0's properties.
const VERSION = "beta";

async function graph(method, path, body) {
	const response = await fetch(`${STUB}${path}`, { method, headers: AUTH, body: body && JSON.stringify(body) });
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
	return response.status === 200 || response.status === 201 ? response.json() : undefined;
}
const calls = `/${VERSION}/communications/calls`;

// What the bot knows of the meeting: who is in it (by participant id) and who sends each sourceId.
let me = ""; // the bot's own participant id (the call's myParticipantId)
let people = new Map();
const sources = new Map();

const kindOf = (participant) =>
	["user", "guest", "phone", "applicationInstance", "application"].find((k) => participant.info?.identity?.[k]);
const nameOf = (participant) => {
	const kind = kindOf(participant);
	const name = kind
		? (participant.info.identity[kind].displayName ?? participant.info.identity[kind].id)
		: participant.id;
	return participant.id === me ? `${name} (me)` : name;
};
const sending = (stream) => stream.direction === "sendOnly" || stream.direction === "sendReceive";
const sharing = (participant) =>
	participant.mediaStreams?.find((s) => s.mediaType === "videoBasedScreenSharing" && sending(s));
const MEDIA = { audio: "audio", video: "video", videoBasedScreenSharing: "screen", data: "data" };
// In sourceId order; a stream its sender no longer sends (a stopped share) keeps its sourceId, marked "off".
const sourceList = () =>
	[...sources]
		.sort(([a], [b]) => Number(a) - Number(b))
		.map(([id, { who, mediaType, on }]) => `${id} ${who} ${MEDIA[mediaType] ?? mediaType}${on ? "" : " (off)"}`)
		.join(", ") || "none";

/** A roster notification: the whole roster (this bot does not ask for the delta roster). */
function tookRoster(roster) {
	const next = new Map(roster.filter((p) => !p.removedState).map((p) => [p.id, p]));
	const first = people.size === 0;
	if (first) console.log(`  in the meeting: ${[...next.values()].map(nameOf).join(", ")}`);
	for (const [id, participant] of next) {
		const before = people.get(id);
		if (!before && !first) console.log(`  + ${nameOf(participant)} joined (${kindOf(participant)})`);
		const share = sharing(participant);
		const shared = before && sharing(before);
		if (share && share.sourceId !== shared?.sourceId)
			console.log(`  ${nameOf(participant)} shares a screen: sourceId ${share.sourceId} (subscribe to it to see it)`);
		if (shared && !share) console.log(`  ${nameOf(participant)} stopped sharing (sourceId ${shared.sourceId})`);
	}
	for (const [id, participant] of people) if (!next.has(id)) console.log(`  - ${nameOf(participant)} left`);
	// The sourceIds: each stream of each participant, as the roster has them now.
	const before = sourceList();
	sources.clear();
	for (const participant of next.values())
		for (const stream of participant.mediaStreams ?? [])
			sources.set(stream.sourceId, { who: nameOf(participant), mediaType: stream.mediaType, on: sending(stream) });
	if (sourceList() !== before) console.log(`  sources: ${sourceList()}`);
	people = next;
}

// The webhook: call states are printed, rosters taken; every notification goes to whoever waits for one like it.
const waiting = [];
function hear(notification) {
	const data = notification.resourceData;
	if (Array.isArray(data)) tookRoster(data);
	else {
		const result = data.resultInfo ? ` ${data.resultInfo.code}/${data.resultInfo.subcode}` : "";
		console.log(`  heard ${notification.changeType} ${data.state ?? data.status}${result}`);
	}
	for (const [i, wait] of waiting.entries())
		if (wait.matches(notification)) {
			waiting.splice(i, 1);
			wait.resolve(notification);
			break;
		}
}
const until = (matches) => new Promise((resolve) => waiting.push({ matches, resolve }));
const ended = (n) => n.changeType === "deleted" && n.resourceData.state === "terminated";

const webhook = createServer((request, response) => {
	let body = "";
	request.on("data", (chunk) => (body += chunk));
	request.on("end", () => {
		response.writeHead(202).end();
		for (const notification of JSON.parse(body).value) hear(notification);
	});
});
await new Promise((resolve) => webhook.listen(PORT, "127.0.0.1", resolve));
const CALLBACK = `http://127.0.0.1:${webhook.address().port}/api/calling`;

// The call is set up 300 ms after the join is accepted.
await graph("PUT", "/_stub/config", { calling: { setupMs: 300 } });

let joinMeetingId = process.env.JOIN_MEETING_ID;
let passcode = process.env.PASSCODE ?? null;
if (!joinMeetingId) {
	console.log("0. A meeting to join (a stub control): Alice is in it; Bob joins, Alice shares, both leave");
	const person = (key, kind, name) => ({ key, identity: { [kind]: { id: `${key}-id`, displayName: name } } });
	const made = await graph("POST", "/_stub/meetings", {
		passcode: "psw123",
		participants: [{ ...person("alice", "user", "Alice"), streams: [{ mediaType: "audio" }, { mediaType: "video" }] }],
		scriptStartsWhen: "botJoins", // atMs count from the bot's joining, however long it takes to join
		script: [
			{ atMs: 1500, action: "join", person: person("bob", "guest", "Bob") },
			{ atMs: 2500, action: "startSharing", key: "alice" },
			{ atMs: 3500, action: "stopSharing", key: "alice" },
			{ atMs: 4000, action: "leave", key: "bob" },
			{ atMs: 4500, action: "leave", key: "alice" },
		],
	});
	joinMeetingId = made.joinMeetingId;
	passcode = made.passcode;
}

console.log(`1. Joins meeting ${joinMeetingId} by its joinMeetingId and passcode`);
const connected = until((n) => Array.isArray(n.resourceData) || ended(n));
const call = await graph("POST", calls, {
	callbackUri: CALLBACK,
	requestedModalities: ["audio"],
	mediaConfig: SERVICE_HOSTED,
	source: { identity: { application: { id: "00000000-0000-0000-0000-00000000b07e", displayName: "Meeting Bot" } } },
	meetingInfo: { "@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo", joinMeetingId, passcode },
});
me = call.myParticipantId;
console.log(`  call ${call.id}${call.chatInfo ? `, chat ${call.chatInfo.threadId}` : ""}`);
const gone = until(ended);
if (ended(await connected)) {
	console.log("The join failed.");
	webhook.close();
	process.exit(1);
}

console.log("2. Sets its recording status");
const recording = await graph("POST", `${calls}/${call.id}/updateRecordingStatus`, {
	status: "recording",
	clientContext: "meeting-bot",
});
console.log(`  updateRecordingStatus recording: ${recording["@odata.type"].split(".").pop()} ${recording.status}`);

console.log("3. Follows the roster until it is alone");
const isAlone = () => [...people.keys()].every((id) => id === me);
let stay;
const why = await Promise.race([
	isAlone() ? "alone" : until((n) => Array.isArray(n.resourceData) && isAlone()).then(() => "alone"),
	gone.then(() => "the call ended"),
	new Promise((resolve) => {
		stay = setTimeout(resolve, STAY_MS, `still here after ${STAY_MS} ms`);
	}),
]);
clearTimeout(stay);

if (why !== "the call ended") {
	console.log(`4. Leaves (${why})`);
	const stopped = await graph("POST", `${calls}/${call.id}/updateRecordingStatus`, { status: "notRecording" });
	console.log(`  updateRecordingStatus notRecording: ${stopped["@odata.type"].split(".").pop()} ${stopped.status}`);
	await graph("DELETE", `${calls}/${call.id}`);
	await gone;
}

webhook.close();
console.log("Done.");
