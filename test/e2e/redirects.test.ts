import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localTls } from "../../scripts/local-tls.ts";
import { listenOnLoopback } from "../receiver/loopback-server.ts";
import { postJson, startStub } from "./helpers/stub.ts";

// A callback host the rules allow answers with a redirect into this machine: the served stub records a
// failed attempt naming the Location and never asks the redirect's target (a loopback-only service).

type Journal = { value: { state: string; attempts: { status: number | null; error: string | null }[] }[] };

/** A loopback service on its own port that no notification may ever reach; counts what reaches it. */
let guarded: Awaited<ReturnType<typeof listenOnLoopback>>;
const reachedGuarded: string[] = [];
/** The allowed callback host: answers every request with the status and Location its path names. */
let redirector: Awaited<ReturnType<typeof listenOnLoopback>>;
let httpsRedirector: { url: string; close: () => Promise<void> };

/** Answers `/<status>/<encoded Location>` with that redirect. */
function redirect(url: string | undefined, response: import("node:http").ServerResponse) {
	const [, status = "307", location = ""] = new URL(url ?? "/", "http://x").pathname.split("/");
	response.writeHead(Number(status), { Location: decodeURIComponent(location) }).end();
}

beforeAll(async () => {
	guarded = await listenOnLoopback((request, body, response) => {
		reachedGuarded.push(`${request.method} ${request.url} ${body.length}`);
		response.writeHead(200).end();
	});
	redirector = await listenOnLoopback((request, _body, response) => redirect(request.url, response));
	// vitest.config.ts made this folder's CA trusted (NODE_EXTRA_CA_CERTS), by the stub's workerd too.
	const tls = await localTls(process.env.STUB_TEST_TLS_DIR ?? "");
	const server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
		request.resume();
		request.on("end", () => redirect(request.url, response));
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	httpsRedirector = {
		url: `https://localhost:${(server.address() as AddressInfo).port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
});
afterAll(async () => {
	await Promise.all([
		new Promise<void>((resolve) => guarded?.server.close(() => resolve())),
		new Promise<void>((resolve) => redirector?.server.close(() => resolve())),
		httpsRedirector?.close(),
	]);
});

const guardedPort = () => new URL(guarded.url).port;

/** Configures `callbackUri` for a new call, creates one operation, and waits for `count` failed attempts. */
async function attemptsAgainst(base: string, callbackUri: string, count = 2) {
	const callId = `redirect-${crypto.randomUUID()}`;
	const headers = { Authorization: "Bearer redirect-token", "Content-Type": "application/json" };
	const config = await fetch(`${base}/_stub/calls/${callId}/config`, {
		method: "PUT",
		headers,
		body: JSON.stringify({ callbackUri, progression: { default: [{ status: "Running", afterMs: 0 }] } }),
	});
	expect(config.status).toBe(200);
	const created = await postJson(
		`${base}/beta/communications/calls/${callId}/operations`,
		{ id: "op" },
		"redirect-token",
	);
	expect(created.status).toBe(201);
	let journal: Journal = { value: [] };
	for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
		journal = (await (await fetch(`${base}/_stub/calls/${callId}/notifications`, { headers })).json()) as Journal;
		if ((journal.value[0]?.attempts.length ?? 0) >= count) break;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return journal.value[0];
}

const FAST_RETRIES = { DELIVERY_BACKOFF_BASE_MS: "20", DELIVERY_MAX_ATTEMPTS: "3" };

describe("a redirect from the callback, served", () => {
	it("deployed (--host 0.0.0.0): an allowed https host's 307 into loopback is a failed attempt, never followed", async () => {
		const stub = await startStub({
			host: "0.0.0.0",
			https: undefined,
			vars: { ...FAST_RETRIES, CALLBACK_HOSTS: "localhost" },
		});
		try {
			const base = `http://127.0.0.1:${new URL(stub.base).port}`;
			for (const status of [302, 307, 308]) {
				const location = `http://127.0.0.1:${guardedPort()}/internal/${status}`;
				const notification = await attemptsAgainst(
					base,
					`${httpsRedirector.url}/${status}/${encodeURIComponent(location)}`,
					3,
				);
				expect(notification?.state).toBe("failed");
				expect(notification?.attempts.map((a) => [a.status, a.error])).toEqual(
					Array(3).fill([status, `HTTP ${status} redirect to ${location} not followed`]),
				);
			}
			expect(reachedGuarded).toEqual([]);
		} finally {
			await stub.dispose();
		}
	});

	it("served locally: a loopback callback's redirect to another port, 0.0.0.0 or [::ffff:127.0.0.1] is not followed", async () => {
		const stub = await startStub({ vars: FAST_RETRIES });
		try {
			for (const host of ["127.0.0.1", "0.0.0.0", "[::ffff:127.0.0.1]"]) {
				const location = `http://${host}:${guardedPort()}/internal`;
				const notification = await attemptsAgainst(stub.base, `${redirector.url}/307/${encodeURIComponent(location)}`);
				expect(notification?.attempts.slice(0, 2).map((a) => [a.status, a.error])).toEqual(
					Array(2).fill([307, `HTTP 307 redirect to ${location} not followed`]),
				);
			}
			expect(reachedGuarded).toEqual([]);
		} finally {
			await stub.dispose();
		}
	});
});
