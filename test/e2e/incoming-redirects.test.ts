import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localTls } from "../../scripts/local-tls.ts";
import { listenOnLoopback } from "../receiver/loopback-server.ts";
import { postJson, startStub } from "./helpers/stub.ts";

// The served stub follows a bot's 307/308 on an incoming call's notification only to a host the callback
// rules allow, checked again for every hop: real receivers on loopback, over http and (deployed) https.

type Attempt = { status: number | null; error: string | null; hops?: { status: number; location: string }[] };
type Journal = { value: { state: string; attempts: Attempt[] }[] };

/** Paths it landed on (200), and how it answers `/<status>/<encoded Location>` (that redirect). */
function bot(landed: string[]) {
	return (url: string | undefined, response: import("node:http").ServerResponse) => {
		const [, first = "", location = ""] = new URL(url ?? "/", "http://x").pathname.split("/");
		if (/^\d{3}$/.test(first)) response.writeHead(Number(first), { Location: decodeURIComponent(location) }).end();
		else {
			landed.push(url ?? "");
			response.writeHead(200).end();
		}
	};
}

const landedHttp: string[] = [];
const landedHttps: string[] = [];
let http: Awaited<ReturnType<typeof listenOnLoopback>>;
let https: { url: string; close: () => Promise<void> };

beforeAll(async () => {
	const answer = bot(landedHttp);
	http = await listenOnLoopback((request, _body, response) => answer(request.url, response));
	// vitest.config.ts made this folder's CA trusted (NODE_EXTRA_CA_CERTS), by the stub's workerd too.
	const tls = await localTls(process.env.STUB_TEST_TLS_DIR ?? "");
	const answerTls = bot(landedHttps);
	const server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
		request.resume();
		request.on("end", () => answerTls(request.url, response));
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	https = {
		url: `https://localhost:${(server.address() as AddressInfo).port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
});
afterAll(async () => {
	await Promise.all([new Promise<void>((resolve) => http?.server.close(() => resolve())), https?.close()]);
});

/** `base/307/<location>`: a URL the bot answers with that redirect. */
const via = (base: string, status: number, location: string) => `${base}/${status}/${encodeURIComponent(location)}`;

/** Rings the bot at `callbackUri` and returns the first attempt of its `created` notification. */
async function firstAttempt(base: string, callbackUri: string) {
	const started = await postJson(`${base}/_stub/incoming-calls`, { callbackUri }, "incoming-redirect-token");
	expect(started.status).toBe(201);
	const { id } = (await started.json()) as { id: string };
	const headers = { Authorization: "Bearer incoming-redirect-token" };
	for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
		const journal = (await (await fetch(`${base}/_stub/calls/${id}/notifications`, { headers })).json()) as Journal;
		const attempt = journal.value[0]?.attempts[0];
		if (attempt) return attempt;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error("no attempt within 15 s");
}

describe("an incoming call's notification redirected, served", () => {
	it("locally: followed to another loopback port; 4 hops or 0.0.0.0 are failed attempts, never asked", async () => {
		const stub = await startStub();
		try {
			const landing = `${http.url}/landing-1`;
			const followed = await firstAttempt(stub.base, via(http.url, 307, landing));
			expect(followed).toMatchObject({ status: 200, error: null, hops: [{ status: 307, location: landing }] });
			expect(landedHttp).toEqual(["/landing-1"]);

			let chain = `${http.url}/landing-4`;
			for (let hop = 0; hop < 4; hop++) chain = via(http.url, 308, chain);
			const tooMany = await firstAttempt(stub.base, chain);
			expect(tooMany.error).toMatch(/not followed: more than 3 redirects$/);
			expect(tooMany.hops).toHaveLength(4);

			const refused = await firstAttempt(
				stub.base,
				via(http.url, 307, `http://0.0.0.0:${new URL(http.url).port}/landing-0`),
			);
			expect(refused).toMatchObject({ status: 307, hops: [{ status: 307 }] });
			expect(landedHttp).toEqual(["/landing-1"]);
		} finally {
			await stub.dispose();
		}
	});

	it("deployed (--host 0.0.0.0, CALLBACK_HOSTS=localhost): https to localhost followed; http loopback refused", async () => {
		const stub = await startStub({ host: "0.0.0.0", https: undefined, vars: { CALLBACK_HOSTS: "localhost" } });
		try {
			const base = `http://127.0.0.1:${new URL(stub.base).port}`;
			const followed = await firstAttempt(base, via(https.url, 308, `${https.url}/landing-tls`));
			expect(followed).toMatchObject({ status: 200, error: null, hops: [{ status: 308 }] });
			expect(landedHttps).toEqual(["/landing-tls"]);

			const refused = await firstAttempt(base, via(https.url, 307, `${http.url}/landing-plain`));
			expect(refused.error).toMatch(/not followed: the Location must be https$/);
			expect(landedHttp).not.toContain("/landing-plain");
		} finally {
			await stub.dispose();
		}
	});
});
