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
