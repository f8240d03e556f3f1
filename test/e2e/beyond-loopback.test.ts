import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, servedFrom } from "../../scripts/local-stub.ts";
import { startStub } from "./helpers/stub.ts";

// Listening beyond this machine, the stub behaves as deployed: a remote caller must not be able to point
// callbacks at this machine's loopback services, nor use the unverified `claims` mode.

describe("serving beyond loopback", () => {
	it("is local only on a loopback address", () => {
		expect(["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"].map((host) => servedFrom(host))).toEqual([
			"local",
			"local",
			"local",
			"local",
			"local",
		]);
		expect(["0.0.0.0", "::", "192.0.2.10", "example.test"].map((host) => servedFrom(host))).toEqual([
			"network",
			"network",
			"network",
			"network",
		]);
	});

	it("refuses loopback callbacks when listening on every address", async () => {
		const stub = await startStub({ host: "0.0.0.0", https: undefined });
		try {
			const base = `http://127.0.0.1:${new URL(stub.base).port}`;
			const response = await fetch(`${base}/_stub/config`, {
				method: "PUT",
				headers: { Authorization: "Bearer beyond-token", "Content-Type": "application/json" },
				body: JSON.stringify({ callbackUri: "http://127.0.0.1:9/callback" }),
			});
			expect(response.status).toBe(400);
			expect(((await response.json()) as { error: { message: string } }).error.message).toContain("callbackUri");
		} finally {
			await stub.dispose();
		}
	});

	it("will not start the unverified claims mode on every address", async () => {
		const child = spawn(
			process.execPath,
			[join(ROOT, "scripts", "serve.ts"), "--port", "0", "--host", "0.0.0.0", "--auth-mode", "claims"],
			{ cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
		);
		let output = "";
		child.stdout.on("data", (chunk) => {
			output += chunk;
		});
		child.stderr.on("data", (chunk) => {
			output += chunk;
		});
		const status = await new Promise<number | null>((resolve) => child.on("exit", resolve));
		expect(status).toBe(1);
		expect(output).toContain("claims");
	});

	it("refuses an empty --port instead of picking one", async () => {
		const child = spawn(process.execPath, [join(ROOT, "scripts", "serve.ts"), "--port", ""], {
			cwd: ROOT,
			stdio: ["ignore", "pipe", "pipe"],
		});
		let output = "";
		child.stderr.on("data", (chunk) => {
			output += chunk;
		});
		expect(await new Promise<number | null>((resolve) => child.on("exit", resolve))).toBe(1);
		expect(output).toContain("--port");
	});
});
