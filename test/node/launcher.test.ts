import { type ChildProcess, spawn } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { ROOT } from "../../scripts/local-stub.ts";

// npm start's server only starts and stops workerd; these are the ways that can go wrong around it.
type Ready = { url: string; stateDir: string; pid: number };
const started: ChildProcess[] = [];
afterEach(() => {
	for (const child of started.splice(0)) child.kill("SIGKILL");
});

function serve(...args: string[]) {
	const child = spawn(process.execPath, [join(ROOT, "scripts", "serve.ts"), "--json", ...args], {
		cwd: ROOT,
		stdio: ["ignore", "pipe", "pipe"],
	});
	started.push(child);
	let stdout = "";
	let stderr = "";
	child.stdout?.on("data", (chunk) => {
		stdout += chunk;
	});
	child.stderr?.on("data", (chunk) => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
	const ready = new Promise<Ready>((resolve, reject) => {
		child.stdout?.on("data", () => {
			const line = stdout.split("\n").find((l) => l.startsWith("{"));
			if (line && stdout.includes("\n", stdout.indexOf(line))) resolve(JSON.parse(line) as Ready);
		});
		void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
	});
	ready.catch(() => {}); // a server that is meant to fail never gets ready; nobody awaits it then
	return { child, ready, exited, output: () => stdout + stderr };
}

/** workerd's process id: the server's child running the workerd binary. */
async function workerdOf(serverPid: number): Promise<number> {
	const { readdir, readFile } = await import("node:fs/promises");
	for (const entry of await readdir("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
		const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
		const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
		if (ppid === serverPid && cmdline.includes("workerd")) return Number(entry);
	}
	throw new Error(`no workerd under ${serverPid}`);
}

it.runIf(process.platform === "linux")(
	"stops with status 1 and deletes its temporary state when workerd is killed under it",
	async () => {
		const server = serve("--port", "0", "--memory");
		const ready = await server.ready;
		expect((await fetch(`${ready.url}/_stub/health`)).status).toBe(200);
		process.kill(await workerdOf(ready.pid), "SIGKILL");
		expect(await server.exited).toBe(1);
		expect(server.output()).toContain("workerd ended (SIGKILL)");
		await expect(access(ready.stateDir)).rejects.toThrow();
	},
);

it("refuses to start on a port already served, in workerd's words, and leaves nothing running", async () => {
	const first = serve("--port", "0", "--memory");
	const { url } = await first.ready;
	const second = serve("--port", new URL(url).port, "--memory");
	expect(await second.exited).toBe(1);
	expect(second.output()).toMatch(/graph-comms-stub: workerd exited before it served \(1\):.*Address already in use/);
	// The first one still serves.
	expect((await fetch(`${url}/_stub/health`)).status).toBe(200);
	first.child.kill("SIGTERM");
	expect(await first.exited).toBe(0);
});

/** Every workerd process whose command line names `needle` (its configuration's folder is temporary: use the state). */
async function workerdsServing(stateDir: string): Promise<number[]> {
	const { readdir, readFile } = await import("node:fs/promises");
	const found: number[] = [];
	for (const entry of await readdir("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
		if (!cmdline.includes("workerd")) continue;
		const environ = await readFile(`/proc/${entry}/environ`, "utf8").catch(() => "");
		if (environ.includes(stateDir)) found.push(Number(entry));
	}
	return found;
}

it.runIf(process.platform === "linux")(
	"a SIGTERM the moment workerd is spawned, before it serves: nothing keeps running and no temporary folder is left",
	async () => {
		for (let round = 0; round < 3; round++) {
			const marker = `start-stop-${round}-${Date.now()}`;
			const child = spawn(process.execPath, [join(ROOT, "scripts", "serve.ts"), "--port", "0", "--memory", "--json"], {
				cwd: ROOT,
				stdio: ["ignore", "pipe", "pipe"],
				env: { ...process.env, STUB_TEST_MARKER: marker },
			});
			started.push(child);
			let stdout = "";
			child.stdout?.on("data", (chunk) => {
				stdout += chunk;
			});
			const exited = new Promise<string>((resolve) => child.on("exit", (code, signal) => resolve(`${signal ?? code}`)));
			// workerd is spawned some 0.3 s after the start and serves some 0.1 s later: stop it in between.
			const giveUpAt = Date.now() + 10_000;
			while ((await workerdsServing(marker)).length === 0 && Date.now() < giveUpAt) {
				await new Promise((resolve) => setTimeout(resolve, 2));
			}
			child.kill("SIGTERM");
			expect(await exited).toBe("0");
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(await workerdsServing(marker)).toEqual([]);
			const ready = stdout.split("\n").find((line) => line.startsWith("{"));
			if (ready) await expect(access((JSON.parse(ready) as Ready).stateDir)).rejects.toThrow();
		}
	},
);

it.runIf(process.platform === "linux")(
	"npm start's server stops when the process that ran it is killed alone (npm's shell)",
	async () => {
		const marker = `orphan-${Date.now()}`;
		const shell = spawn("/bin/sh", ["-c", `"${process.execPath}" scripts/serve.ts --port 0 --memory --json; true`], {
			cwd: ROOT,
			stdio: ["ignore", "pipe", "pipe"],
			env: { ...process.env, STUB_TEST_MARKER: marker },
		});
		started.push(shell);
		const ready = await new Promise<Ready>((resolve) => {
			let stdout = "";
			shell.stdout?.on("data", (chunk) => {
				stdout += chunk;
				const line = stdout.split("\n").find((l) => l.startsWith("{"));
				if (line && stdout.includes("\n", stdout.indexOf(line))) resolve(JSON.parse(line) as Ready);
			});
		});
		expect(await workerdsServing(marker)).toHaveLength(1);
		shell.kill("SIGKILL");
		await expect.poll(() => workerdsServing(marker), { timeout: 5000, interval: 200 }).toEqual([]);
		await expect
			.poll(
				() =>
					access(ready.stateDir).then(
						() => "left",
						() => "gone",
					),
				{ timeout: 5000 },
			)
			.toBe("gone");
	},
);

it("serves on [::1] as given in brackets, and on ::1", async () => {
	const { startLocalStub } = await import("../../scripts/local-stub.ts");
	const { tempStateDir } = await import("../e2e/helpers/stub.ts");
	for (const host of ["[::1]", "::1"]) {
		const stub = await startLocalStub({ host, port: 0, stateDir: await tempStateDir() });
		try {
			expect(stub.url.hostname).toBe("[::1]");
			expect((await fetch(new URL("/_stub/health", stub.url))).status).toBe(200);
		} finally {
			await stub.dispose();
		}
	}
});

it("starts despite an unreadable certificate in NODE_EXTRA_CA_CERTS, and says so", async () => {
	const { writeFile } = await import("node:fs/promises");
	const { tempStateDir } = await import("../e2e/helpers/stub.ts");
	const dir = await tempStateDir();
	const bad = join(dir, "bad.pem");
	await writeFile(bad, "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n");
	const server = (() => {
		const child = spawn(process.execPath, [join(ROOT, "scripts", "serve.ts"), "--json", "--port", "0", "--memory"], {
			cwd: ROOT,
			stdio: ["ignore", "pipe", "pipe"],
			env: { ...process.env, NODE_EXTRA_CA_CERTS: bad },
		});
		started.push(child);
		return child;
	})();
	let stderr = "";
	server.stderr?.on("data", (chunk) => {
		stderr += chunk;
	});
	const url = await new Promise<string>((resolve, reject) => {
		let stdout = "";
		server.stdout?.on("data", (chunk) => {
			stdout += chunk;
			const line = stdout.split("\n").find((l) => l.startsWith("{"));
			if (line && stdout.includes("\n", stdout.indexOf(line))) resolve((JSON.parse(line) as Ready).url);
		});
		server.on("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
	});
	expect((await fetch(`${url}/_stub/health`)).status).toBe(200);
	expect(stderr).toContain("certificate 1 is not one; not trusted");
});
