import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningStub, startStub } from "./helpers/stub.ts";

// A real bot's flow: the official Graph JS client for its requests, a loopback HTTP server as its
// calling webhook, and the stub served over https (the SDK sends tokens only to https hosts).

const TOKEN = "bot-flow-token";
type Notification = {
	changeType: string;
	resource: string;
	resourceUrl: string;
	resourceData: {
		id?: string;
		state?: string;
		mediaState?: { audio: string };
		resultInfo?: { code: number; subcode: number };
	};
};

let stub: RunningStub;
let webhook: Server;
let callbackUri: string;
/** Everything the bot's webhook received, in arrival order. */
const heard: Notification[] = [];

const sdk = () =>
	Client.initWithMiddleware({
		baseUrl: `${stub.base}/`,
		defaultVersion: "v1.0",
		customHosts: new Set(["127.0.0.1"]),
		authProvider: { getAccessToken: async () => TOKEN },
	});

const SERVICE_HOSTED = { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" };

/** The bot: records every notification and answers an incoming call as soon as it hears `created`. */
function botWebhook(client: Client) {
	return createServer((request, response) => {
		let body = "";
		request.on("data", (chunk) => {
			body += chunk;
		});
		request.on("end", () => {
			response.writeHead(202).end();
			for (const notification of (JSON.parse(body) as { value: Notification[] }).value) {
				heard.push(notification);
				const call = notification.resourceData;
				if (notification.changeType === "created" && call.state === "incoming")
					void client
						.api(`/communications/calls/${call.id}/answer`)
						.post({ callbackUri, mediaConfig: SERVICE_HOSTED, acceptedModalities: ["audio"] });
			}
		});
	});
}

/** The states the bot heard about `callId`, as `changeType:state[+audio]`, once there are `count`. */
async function statesHeard(callId: string, count: number): Promise<string[]> {
	const states = () =>
		heard
			.filter((n) => n.resourceUrl === `/communications/calls/${callId}`)
			.map((n) => {
				const data = n.resourceData;
				return `${n.changeType}:${data.state}${data.mediaState?.audio === "active" ? "+audio" : ""}`;
			});
	await vi.waitFor(() => expect(states().length).toBeGreaterThanOrEqual(count), { timeout: 15_000, interval: 50 });
	return states();
}

const lastAbout = (callId: string) => heard.filter((n) => n.resourceUrl === `/communications/calls/${callId}`).at(-1);

beforeAll(async () => {
	stub = await startStub({ https: { dir: process.env.STUB_TEST_TLS_DIR } });
	webhook = botWebhook(sdk());
	await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
	callbackUri = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/api/calling`;
	// Quick setup for the test: established 200 ms after establishing.
	const config = await fetch(`${stub.base}/_stub/config`, {
		method: "PUT",
		headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
		body: JSON.stringify({ calling: { setupMs: 200 } }),
	});
	expect(config.status).toBe(200);
});
afterAll(async () => {
	await new Promise<void>((resolve) => (webhook ? webhook.close(() => resolve()) : resolve()));
	await stub?.dispose();
});

describe("a bot's calls against the served stub", () => {
	it("answers an incoming call on `created`, hears it established with audio, hangs up", async () => {
		const started = await fetch(`${stub.base}/_stub/incoming-calls`, {
			method: "POST",
			headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
			body: JSON.stringify({ callbackUri }),
		});
		expect(started.status).toBe(201);
		const { id } = (await started.json()) as { id: string };

		expect(await statesHeard(id, 4)).toEqual([
			"created:incoming",
			"updated:establishing",
			"updated:established",
			"updated:established+audio",
		]);
		const call = await sdk().api(`/communications/calls/${id}`).get();
		expect(call).toMatchObject({ id, state: "established", direction: "incoming", callbackUri });

		await sdk().api(`/communications/calls/${id}`).delete();
		expect((await statesHeard(id, 6)).slice(4)).toEqual(["updated:terminating", "deleted:terminated"]);
		expect(lastAbout(id)?.resourceData.resultInfo).toMatchObject({ code: 200, subcode: 5001 });
		expect(lastAbout(id)?.resource).toBe(`/app/calls/${id}`);
	});

	it("places an outgoing call that ends when the far side hangs up", async () => {
		const created = await sdk()
			.api("/communications/calls")
			.post({
				"@odata.type": "#microsoft.graph.call",
				callbackUri,
				targets: [
					{
						"@odata.type": "#microsoft.graph.invitationParticipantInfo",
						identity: {
							"@odata.type": "#microsoft.graph.identitySet",
							user: { id: "callee-1", displayName: "Callee" },
						},
					},
				],
				requestedModalities: ["audio"],
				mediaConfig: SERVICE_HOSTED,
			});
		expect(created).toMatchObject({ state: "establishing", direction: "outgoing" });
		const id = created.id as string;
		expect(await statesHeard(id, 3)).toEqual([
			"updated:establishing",
			"updated:established",
			"updated:established+audio",
		]);

		const hangup = await fetch(`${stub.base}/_stub/calls/${id}/hangup`, {
			method: "POST",
			headers: { Authorization: `Bearer ${TOKEN}` },
		});
		expect(hangup.status).toBe(202);
		expect((await statesHeard(id, 4))[3]).toBe("deleted:terminated");
		expect(lastAbout(id)?.resourceData.resultInfo).toMatchObject({ code: 200, subcode: 5002 });
		await expect(sdk().api(`/communications/calls/${id}`).get()).rejects.toMatchObject({
			statusCode: 404,
			code: "8522",
		});
	});
});
