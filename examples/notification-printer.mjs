// A bot's webhook that only listens: prints each notification the stub sends on one line (numbered in
// arrival order: its change, resource, and what it says) and answers 202. No dependencies: Node 20+.
//
//   node examples/notification-printer.mjs     # PORT=… changes where it listens (default 3978)
//
// Give the stub http://127.0.0.1:3978/api/calling as a callbackUri. A roster prints each participant
// as `name [mediaType:sourceId:direction …]`; a call its state, an operation its status and result.
import { createServer } from "node:http";

const PORT = Number(process.env.PORT ?? 3978);

const name = (identity = {}) =>
	Object.values(identity).find((who) => who && typeof who === "object" && who.displayName)?.displayName ?? "?";

function participant(p) {
	const flags = [p.isMuted && "(muted)", p.isInLobby && "(in lobby)"].filter(Boolean).join(" ");
	const streams = (p.mediaStreams ?? []).map((s) => `${s.mediaType}:${s.sourceId}:${s.direction}`).join(" ");
	return `${name(p.info?.identity)}${flags ? ` ${flags}` : ""} [${streams}]`;
}

function summary(data = {}) {
	if (Array.isArray(data)) return data.map(participant).join(", ");
	if (data.toneInfo) return `tone ${data.toneInfo.tone} (#${data.toneInfo.sequenceId})`;
	const result = data.resultInfo && `${data.resultInfo.code}/${data.resultInfo.subcode}`;
	return [data.state, data.status, data.completionReason, result].filter(Boolean).join(" ");
}

let count = 0;
createServer((request, response) => {
	let body = "";
	request.on("data", (chunk) => (body += chunk));
	request.on("end", () => {
		response.writeHead(202).end();
		for (const n of JSON.parse(body || "{}").value ?? [])
			console.log(`${++count} ${n.changeType} ${n.resourceUrl}  ${summary(n.resourceData)}`);
	});
}).listen(PORT, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${PORT}/api/calling`));
