import { Client } from "@microsoft/microsoft-graph-client";
import { expect } from "vitest";
import { listenOnLoopback } from "../../receiver/loopback-server.ts";
import { postJson, type RunningStub, startStub } from "./stub.ts";

/** One notification as a bot's webhook hears it (the fields the flows read). */
export type Heard = {
	changeType: string;
	resource: string;
	resourceUrl: string;
	resourceData: Record<string, unknown> & {
		id?: string;
		state?: string;
		status?: string;
		toneInfo?: { sequenceId: number; tone: string };
		mediaState?: { audio: string };
		resultInfo?: { code: number; subcode: number };
	};
};

export type Bot = {
	stub: RunningStub;
	/** The bot's calling webhook on loopback. */
	callbackUri: string;
	/** Everything the webhook received, in arrival order. */
	heard: Heard[];
	/** The official Graph JS client, as the bot uses it (tokens go only to https hosts: the stub is served so). */
	sdk: () => Client;
	/** A POST to the stub with the bot's token (tester controls such as `/_stub/incoming-calls`). */
	post: (path: string, body: unknown) => Promise<Response>;
	dispose: () => Promise<void>;
};

export const SERVICE_HOSTED = { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" };

/**
 * A real bot against the served stub: the stub over https, a loopback webhook that records every
 * notification and answers an incoming call as soon as it hears `created`, and the namespace's `calling`
 * configuration set for the test's pace.
 */
export async function startBot(token: string, calling: Record<string, number>): Promise<Bot> {
	const stub = await startStub({ https: { dir: process.env.STUB_TEST_TLS_DIR } });
	const heard: Heard[] = [];
	const sdk = () =>
		Client.initWithMiddleware({
			baseUrl: `${stub.base}/`,
			defaultVersion: "v1.0",
			customHosts: new Set(["127.0.0.1"]),
			authProvider: { getAccessToken: async () => token },
		});
	const client = sdk();
	let callbackUri = "";
	// The bot: records every notification and answers an incoming call as soon as it hears `created`.
	const webhook = await listenOnLoopback((_request, body, response) => {
		response.writeHead(202).end();
		for (const notification of (JSON.parse(body) as { value: Heard[] }).value) {
			heard.push(notification);
			const call = notification.resourceData;
			if (notification.changeType === "created" && call.state === "incoming")
				void client
					.api(`/communications/calls/${call.id}/answer`)
					.post({ callbackUri, mediaConfig: SERVICE_HOSTED, acceptedModalities: ["audio"] });
		}
	});
	callbackUri = `${webhook.url}/api/calling`;
	const configured = await fetch(`${stub.base}/_stub/config`, {
		method: "PUT",
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
		body: JSON.stringify({ calling }),
	});
	expect(configured.status).toBe(200);
	return {
		stub,
		callbackUri,
		heard,
		sdk,
		post: (path, body) => postJson(`${stub.base}${path}`, body, token),
		dispose: async () => {
			await new Promise<void>((resolve) => webhook.server.close(() => resolve()));
			await stub.dispose();
		},
	};
}
