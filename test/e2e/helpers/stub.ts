import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { type LocalStubOptions, startLocalStub } from "../../../scripts/local-stub.ts";

export type RunningStub = Awaited<ReturnType<typeof startLocalStub>> & { base: string };

export const tempStateDir = () => mkdtemp(join(tmpdir(), "graph-comms-stub-"));

/**
 * How this run serves the Worker: "http" or "https" (TLS ended by workerd itself,
 * with the test CA that vitest.config.ts made trusted). vitest.config.ts runs the e2e suite both ways.
 */
export const serving = process.env.STUB_E2E_SERVING === "https" ? "https" : "http";

/** The real Worker in workerd on a free loopback port, state in a fresh temporary folder by default. */
export async function startStub(options: LocalStubOptions = {}): Promise<RunningStub> {
	const stub = await startLocalStub({
		port: 0,
		scriptPath: inject("stubBundle"),
		...(serving === "https" ? { https: { dir: process.env.STUB_TEST_TLS_DIR } } : {}),
		...options,
		stateDir: options.stateDir ?? (await tempStateDir()),
	});
	return { ...stub, base: stub.url.href.replace(/\/$/, "") };
}

export const operationsUrl = (base: string, callId: string, version = "beta") =>
	`${base}/${version}/communications/calls/${encodeURIComponent(callId)}/operations`;

export function postJson(url: string, body: unknown, token = "e2e-token", headers: Record<string, string> = {}) {
	return fetch(url, {
		method: "POST",
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
		body: JSON.stringify(body),
	});
}
