import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalStubOptions, startLocalStub } from "../../../scripts/local-stub.ts";

export type RunningStub = Awaited<ReturnType<typeof startLocalStub>> & { base: string };

export const tempStateDir = () => mkdtemp(join(tmpdir(), "graph-comms-stub-"));

/** The real Worker in Miniflare on a free loopback port, state in a fresh temporary folder by default. */
export async function startStub(options: LocalStubOptions = {}): Promise<RunningStub> {
	const stub = await startLocalStub({ port: 0, stateDir: options.stateDir ?? (await tempStateDir()), ...options });
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
