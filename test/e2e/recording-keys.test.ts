import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startStub } from "./helpers/stub.ts";

// Over real HTTP: keys the deployment did not seal are refused before any call object exists, so 200 junk
// requests leave no SQLite file behind (before, each named a call of its own choosing and created it).

const b64url = (text: string) => Buffer.from(text).toString("base64url");

/** The files of the call objects in the stub's state folder (workerd keeps one SQLite database per object). */
async function callObjectFiles(stateDir: string): Promise<number> {
	const folders = (await readdir(join(stateDir, "do")).catch(() => [])).filter((name) =>
		name.endsWith("CallOperations"),
	);
	let count = 0;
	for (const folder of folders) count += (await readdir(join(stateDir, "do", folder))).length;
	return count;
}

it("200 junk recording keys with junk bearers: 401 each, and no call object is created", async () => {
	const stub = await startStub();
	try {
		const before = await callObjectFiles(stub.stateDir);
		for (let i = 0; i < 200; i++) {
			const key = i % 2 ? `${b64url(JSON.stringify([`ns-${i}`, `call-${i}`]))}.x` : b64url(`junk-${i}`.repeat(8));
			const response = await fetch(`${stub.base}/_stub/recordings/${key}`, {
				headers: { Authorization: `Bearer junk-${i}` },
			});
			expect(response.status).toBe(401);
			expect(((await response.json()) as { error: { code: string } }).error.code).toBe("InvalidAuthenticationToken");
		}
		expect(await callObjectFiles(stub.stateDir)).toBe(before);
	} finally {
		await stub.dispose();
	}
});
