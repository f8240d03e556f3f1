import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReadyLine } from "../../scripts/cli/contract.ts";
import { ROOT } from "../../scripts/local-stub.ts";
import { operationsUrl, postJson } from "./helpers/stub.ts";

// `npm start -- --memory` (and the package's CLI by default): calls in a temporary folder on a tmpfs,
// so a CI run pays no disk commits; the folder is gone once the stub stops.

const serve = (...args: string[]) =>
	spawn(process.execPath, [join(ROOT, "scripts", "serve.ts"), "--port", "0", ...args], {
		cwd: ROOT,
		stdio: ["ignore", "pipe", "pipe"],
	});

function collect(child: ChildProcess) {
	const out = { text: "" };
	child.stdout?.on("data", (chunk) => {
		out.text += chunk;
	});
	child.stderr?.on("data", (chunk) => {
		out.text += chunk;
	});
	return out;
}

const readyLine = (child: ChildProcess, out: { text: string }) =>
	new Promise<ReadyLine>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ready line:\n${out.text}`)), 30_000);
		child.stdout?.on("data", () => {
			const line = out.text.split("\n").find((l) => l.startsWith("{") && out.text.includes("\n", out.text.indexOf(l)));
			if (!line) return;
			clearTimeout(timer);
			resolve(JSON.parse(line) as ReadyLine);
		});
	});

/** The command lines of `pid`'s descendants (Linux: read from /proc). */
function descendants(pid: number): string[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
			const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
			children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
		} catch {
			// ended meanwhile
		}
	}
	const found: string[] = [];
	const visit = (parent: number) => {
		for (const child of children.get(parent) ?? []) {
			found.push(readFileSync(`/proc/${child}/cmdline`, "utf8").replaceAll("\0", " "));
			visit(child);
		}
	};
	visit(pid);
	return found;
}

describe("npm start -- --memory", () => {
	it("keeps the calls in a temporary folder in memory, serves them in order, and deletes it at the stop", async () => {
		const child = serve("--memory", "--json");
		const out = collect(child);
		const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
		let ready: ReadyLine | undefined;
		try {
			ready = await readyLine(child, out);
			const tmpfs = process.platform === "linux" && existsSync("/dev/shm");
			expect(ready.memory).toBe(tmpfs);
			if (tmpfs) expect(ready.stateDir.startsWith("/dev/shm/graph-comms-stub-")).toBe(true);
			expect(existsSync(ready.stateDir)).toBe(true);
			if (process.platform === "linux") {
				// Nothing that finished its job keeps running: the build (and esbuild's service) ran in a child
				// that exited; what stays is workerd and the watchdog.
				const tree = descendants(child.pid ?? 0);
				expect(tree.filter((command) => /esbuild|write-worker/.test(command))).toEqual([]);
				expect(tree.some((command) => command.includes("workerd"))).toBe(true);
			}
			for (const sequence of ["1", "2", "3"]) {
				const created = await postJson(operationsUrl(ready.url, "in-memory"), {});
				expect(created.headers.get("x-stub-sequence")).toBe(sequence);
			}
		} finally {
			child.kill("SIGTERM");
		}
		expect(await exited).toBe(0);
		expect(existsSync(ready.stateDir)).toBe(false);
	});

	it("refuses --memory together with --state", async () => {
		const child = serve("--memory", "--state", join(ROOT, ".wrangler", "never"));
		const out = collect(child);
		expect(await new Promise<number | null>((resolve) => child.on("exit", resolve))).toBe(1);
		expect(out.text).toContain("--memory and --state exclude each other");
		expect(existsSync(join(ROOT, ".wrangler", "never"))).toBe(false);
	});
});
