import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/local-stub.ts";
import { operationsUrl, postJson, startStub, tempStateDir } from "./helpers/stub.ts";

describe("state on disk", () => {
	it("keeps every operation across a restart on the same folder; the sequence continues", async () => {
		const stateDir = await tempStateDir();
		const first = await startStub({ stateDir });
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push((await (await postJson(operationsUrl(first.base, "kept"), {})).json()).id);
		await first.dispose();

		const second = await startStub({ stateDir });
		try {
			const list = await fetch(operationsUrl(second.base, "kept"), { headers: { Authorization: "Bearer e2e-token" } });
			expect(((await list.json()) as { value: { id: string }[] }).value.map((op) => op.id)).toEqual(ids);
			const next = await postJson(operationsUrl(second.base, "kept"), {});
			expect(next.headers.get("x-stub-sequence")).toBe("6");
		} finally {
			await second.dispose();
		}
	});
});

describe("npm start (scripts/serve.ts)", () => {
	it("prints a banner with URL and state folder, serves, and stops cleanly on SIGTERM", async () => {
		const stateDir = await tempStateDir();
		const child = spawn(process.execPath, [join(ROOT, "scripts", "serve.ts"), "--port", "0", "--state", stateDir], {
			cwd: ROOT,
			stdio: ["ignore", "pipe", "pipe"],
		});
		let output = "";
		child.stdout.on("data", (chunk) => {
			output += chunk;
		});
		child.stderr.on("data", (chunk) => {
			output += chunk;
		});
		const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
		try {
			const url = await new Promise<string>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), 30_000);
				child.stdout.on("data", () => {
					const match = /URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
					if (match?.[1]) {
						clearTimeout(timer);
						resolve(match[1]);
					}
				});
			});
			expect(output).toContain(stateDir);
			expect(output).toMatch(/graph-comms-stub \d+\.\d+\.\d+/);
			const health = await fetch(`${url}/_stub/health`);
			expect(await health.json()).toMatchObject({ status: "ok" });
			expect((await postJson(operationsUrl(url, "cli"), {})).status).toBe(201);
		} finally {
			child.kill("SIGTERM");
		}
		expect(await exited).toBe(0);
		expect(output).toContain("stopped.");
		// No line per request: nothing between the banner's last line and the stop message.
		const afterBanner = output.slice(output.indexOf("next start."), output.indexOf("SIGTERM: stopping"));
		expect(afterBanner.trim()).toBe("next start.");
	});
});
