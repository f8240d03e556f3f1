import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { afterAll, expect, inject, it } from "vitest";
import { buildWorker, startLocalStub } from "../../scripts/local-stub.ts";
import { operationsUrl, postJson, tempStateDir } from "../e2e/helpers/stub.ts";

// Earlier versions served the stub through Miniflare; npm start now runs workerd itself. A state folder
// written the old way must read the same the new way: the same Durable Object ids, the same files.
const folders: string[] = [];
afterAll(async () => {
	for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

it("serves the calls of a state folder that Miniflare wrote, and goes on from them", async () => {
	const stateDir = await tempStateDir();
	folders.push(stateDir);
	const { scriptPath, workerOptions } = await buildWorker(undefined, inject("stubBundle"));
	const miniflare = new Miniflare(
		convertV4MiniflareOptions({
			workers: [
				{
					...workerOptions,
					scriptPath,
					modules: true,
					modulesRoot: dirname(scriptPath),
					bindings: { ...(workerOptions.bindings ?? {}), SERVED_FROM: "local" },
					unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
				},
			],
			host: "127.0.0.1",
			port: 0,
			resourcePersistencePath: stateDir,
			cf: false,
			log: new Log(LogLevel.WARN),
		} as Parameters<typeof convertV4MiniflareOptions>[0]),
	);
	let written: { id: string };
	try {
		const old = (await miniflare.unsafeGetDirectURL()).href.replace(/\/$/, "");
		const created = await postJson(operationsUrl(old, "kept-call"), { status: "Running" }, "keeper");
		expect(created.status).toBe(201);
		written = (await created.json()) as { id: string };
	} finally {
		await miniflare.dispose();
	}

	const stub = await startLocalStub({ port: 0, stateDir, scriptPath: inject("stubBundle") });
	try {
		const base = stub.url.href.replace(/\/$/, "");
		const read = await fetch(`${operationsUrl(base, "kept-call")}/${written.id}`, {
			headers: { Authorization: "Bearer keeper" },
		});
		expect(read.status).toBe(200);
		expect(((await read.json()) as { id: string }).id).toBe(written.id);
		const next = await postJson(operationsUrl(base, "kept-call"), { status: "Running" }, "keeper");
		expect(next.headers.get("x-stub-sequence")).toBe("2");
	} finally {
		await stub.dispose();
	}
});
