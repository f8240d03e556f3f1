// A small IVR bot, the thing under test in ivr-bot.test.mjs: it answers every incoming call, plays one
// greeting and hangs up. It talks to Graph (here: the stub) over plain fetch and hears notifications on
// its own webhook. What a bot should do is in here; how to test it is in the test file.
//   - a 429 or 503: wait the Retry-After it was given, then try again (at most 3 times);
//   - any other failure of playPrompt: hang up;
//   - the caller hangs up first (its prompt then fails and the call ends): send nothing more.
import { createServer } from "node:http";

export const GREETING = "https://cdn.example/greeting.wav";
const SERVICE_HOSTED = { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" };

/** Starts the bot's webhook on a free port; `graphUrl` is Graph's root with the version (the stub's `graphUrl`). */
export async function startIvrBot({ graphUrl, token }) {
	const ended = new Set(); // calls the bot heard end
	const errors = [];

	async function graph(method, path, body) {
		const response = await fetch(`${graphUrl}${path}`, {
			method,
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: body && JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, retryAfter: Number(response.headers.get("Retry-After") ?? 1), text };
	}

	async function greet(callId) {
		for (let attempt = 1; attempt <= 3 && !ended.has(callId); attempt++) {
			const played = await graph("POST", `/communications/calls/${callId}/playPrompt`, {
				prompts: [{ "@odata.type": "#microsoft.graph.mediaPrompt", mediaInfo: { uri: GREETING } }],
				clientContext: callId,
			});
			if (played.status === 200) return; // its `deleted` notification says when it is done
			if (played.status !== 429 && played.status !== 503) break;
			await new Promise((resolve) => setTimeout(resolve, played.retryAfter * 1000));
		}
		await hangUp(callId);
	}

	async function hangUp(callId) {
		if (!ended.has(callId)) await graph("DELETE", `/communications/calls/${callId}`);
	}

	async function hear(notification) {
		const data = notification.resourceData;
		const callId = notification.resourceUrl.split("/")[3];
		if (data["@odata.type"] === "#microsoft.graph.call") {
			if (notification.changeType === "deleted" || data.state === "terminated") ended.add(callId);
			else if (notification.changeType === "created" && data.state === "incoming")
				await graph("POST", `/communications/calls/${callId}/answer`, {
					callbackUri: webhookUrl,
					mediaConfig: SERVICE_HOSTED,
					acceptedModalities: ["audio"],
				});
			else if (data.state === "established" && data.mediaState?.audio === "active") await greet(callId);
		} else if (data["@odata.type"] === "#microsoft.graph.playPromptOperation" && data.status === "completed") {
			await hangUp(callId); // the greeting was played: goodbye (one that failed: the call is ending anyway)
		}
	}

	const server = createServer((request, response) => {
		let body = "";
		request.on("data", (chunk) => {
			body += chunk;
		});
		request.on("end", () => {
			response.writeHead(202).end();
			for (const notification of JSON.parse(body).value) hear(notification).catch((error) => errors.push(error));
		});
	});
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	const webhookUrl = `http://127.0.0.1:${server.address().port}/api/calling`;
	return {
		/** Where Graph (the stub) sends this bot's notifications. */
		callbackUri: webhookUrl,
		/** What went wrong inside the bot's handlers (a test asserts it stays empty). */
		errors,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}
