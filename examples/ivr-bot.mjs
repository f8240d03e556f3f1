// A tiny IVR bot against the stub: answers a call, greets the caller, records an answer that the caller
// ends with #, downloads the recording, starts a menu and cancels it, hangs up — and prints everything
// it hears. No dependencies: Node 20+ (fetch, node:http).
//
//   npm start                       # in one terminal: the stub on http://127.0.0.1:8787
//   node examples/ivr-bot.mjs       # in another: STUB=… and PORT=… change where they listen
import { createServer } from "node:http";

const STUB = process.env.STUB ?? "http://127.0.0.1:8787";
const PORT = Number(process.env.PORT ?? 3978);
const CALLBACK = `http://127.0.0.1:${PORT}/api/calling`;
const AUTH = { Authorization: "Bearer ivr-example-bot", "Content-Type": "application/json" };
const SERVICE_HOSTED = { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" };
const prompt = (name) => ({ mediaInfo: { uri: `https://cdn.example/${name}.wav` } });

async function graph(method, path, body) {
	const response = await fetch(`${STUB}${path}`, { method, headers: AUTH, body: body && JSON.stringify(body) });
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
	return response.status === 200 || response.status === 201 ? response.json() : undefined;
}
// beta: its playPrompt and record operations declare completionReason (v1.0's do not), so the bot hears it.
const VERSION = "beta";
const action = (callId, name, body = {}) => graph("POST", `/${VERSION}/communications/calls/${callId}/${name}`, body);

// The webhook: every notification goes to whoever waits for one like it.
const waiting = [];
function hear(notification) {
	const data = notification.resourceData;
	const what = Array.isArray(data)
		? `roster of ${data.length}`
		: data.toneInfo
			? `tone ${data.toneInfo.tone} (#${data.toneInfo.sequenceId})`
			: [
					data.state,
					data.status,
					data.completionReason,
					data.resultInfo && `${data.resultInfo.code}/${data.resultInfo.subcode}`,
				]
					.filter(Boolean)
					.join(" ");
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
const finished = (operation) => until((n) => n.changeType === "deleted" && n.resourceData.id === operation.id);

const webhook = createServer((request, response) => {
	let body = "";
	request.on("data", (chunk) => (body += chunk));
	request.on("end", () => {
		response.writeHead(202).end();
		for (const notification of JSON.parse(body).value) hear(notification);
	});
});
await new Promise((resolve) => webhook.listen(PORT, "127.0.0.1", resolve));

// Prompts play 500 ms each; a recording runs up to 20 s unless the caller presses a stop tone.
await graph("PUT", "/_stub/config", { calling: { setupMs: 300, promptMs: 500, recordMs: 20_000 } });

console.log("1. A caller rings the bot");
const ringing = until((n) => n.changeType === "created");
const { id } = await graph("POST", "/_stub/incoming-calls", { callbackUri: CALLBACK });
await ringing;

console.log("2. The bot answers and waits for audio");
const audio = until((n) => n.resourceData.mediaState?.audio === "active");
await action(id, "answer", { callbackUri: CALLBACK, mediaConfig: SERVICE_HOSTED, acceptedModalities: ["audio"] });
await audio;

console.log("3. Subscribes to tones, plays a greeting");
await action(id, "subscribeToTone");
await finished(await action(id, "playPrompt", { prompts: [prompt("welcome")] }));

console.log("4. Records the caller's answer; the caller speaks, then presses 1 and #");
const recording = await action(id, "recordResponse", { stopTones: ["#"], maxRecordDurationInSeconds: 20 });
await graph("POST", `/_stub/calls/${id}/tones`, { tones: ["tone1", "pound"], delayMs: 750 });
const recorded = (await finished(recording)).resourceData;

console.log("5. Downloads the recording with its access token");
const wav = await fetch(recorded.recordingLocation, {
	headers: { Authorization: `Bearer ${recorded.recordingAccessToken}` },
});
const bytes = Buffer.from(await wav.arrayBuffer());
const ms = bytes.readUInt32LE(40) / 32; // 16 kHz × 16-bit mono: 32 bytes per millisecond
console.log(
	`  got ${wav.headers.get("content-type")}, ${bytes.byteLength} bytes: ${ms} ms at ${bytes.readUInt32LE(24)} Hz`,
);

console.log("6. Starts a long menu, then cancels it");
const menu = await action(id, "playPrompt", { prompts: Array.from({ length: 10 }, (_, i) => prompt(`menu-${i}`)) });
await action(id, "cancelMediaProcessing");
await finished(menu);

console.log("7. Hangs up");
const ended = until((n) => n.changeType === "deleted" && n.resourceData.state === "terminated");
await graph("DELETE", `/${VERSION}/communications/calls/${id}`);
await ended;

webhook.close();
console.log("Done.");
