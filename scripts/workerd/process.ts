import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import workerdModule from "workerd";
import { type Listen, type ServedWorker, SOCKET_NAME, workerdConfig } from "./config.ts";

// Runs workerd on its own with the configuration of config.ts, and resolves once it listens: workerd
// reports each socket's port as a JSON line on a pipe (`--control-fd`). Until then its stderr is kept,
// so that a failed start (a port in use, a bad bundle) is reported with workerd's own words.

export type Workerd = {
	/** The port workerd listens on (the chosen one when asked for 0). */
	port: number;
	/** The inspector's port, when one was asked for. */
	inspectorPort: number | undefined;
	pid: number;
	/** Resolves when workerd ends, asked to or not (a crash, a signal from outside): what ended it. */
	exited: Promise<string>;
	/** Stops workerd (SIGTERM, then SIGKILL after a grace period) and resolves when it is gone. */
	dispose: () => Promise<void>;
};

export type WorkerdOptions = {
	stateDir: string;
	listen: Listen;
	/** Open workerd's inspector on this loopback port (0: any), for CPU profiles. */
	inspectorPort?: number;
	/** Certificates outbound fetches trust besides the browsers' (default: those of NODE_EXTRA_CA_CERTS). */
	trustedCertificates?: string[];
	/** Told workerd's process id and its configuration folder the moment it is spawned (the watchdog). */
	onSpawn?: (pid: number | undefined, configDir: string) => void;
	/** Give up (and kill it) if workerd is not serving by then (default 60 s). */
	timeoutMs?: number;
};

const STOP_GRACE_MS = 5000;
const START_TIMEOUT_MS = 60_000;

const workerdPath = typeof workerdModule === "string" ? workerdModule : workerdModule.default;

type ControlMessage = { event: string; socket?: string; port?: number };

/** Starts workerd serving `worker`; the configuration file lives only until workerd has read it. */
export async function startWorkerd(worker: ServedWorker, options: WorkerdOptions): Promise<Workerd> {
	// A folder only this user can read: the file holds the TLS private key when serving https.
	await mkdir(join(options.stateDir, "do"), { recursive: true });
	const configDir = await mkdtemp(join(tmpdir(), "graph-comms-stub-workerd-"));
	try {
		const { text, env } = workerdConfig(worker, {
			configDir,
			stateDir: options.stateDir,
			listen: options.listen,
			trustedCertificates: options.trustedCertificates,
		});
		const configFile = join(configDir, "workerd.capnp");
		await writeFile(configFile, text, { mode: 0o600 });
		const args = ["serve", "--control-fd=3", configFile];
		if (options.inspectorPort !== undefined) args.push(`--inspector-addr=127.0.0.1:${options.inspectorPort}`);
		const child = spawn(workerdPath, args, {
			stdio: ["ignore", "inherit", "pipe", "pipe"],
			env: { ...process.env, ...env },
		});
		options.onSpawn?.(child.pid, configDir);
		const ports = await listening(child, options.inspectorPort !== undefined, options.timeoutMs ?? START_TIMEOUT_MS);
		const exited = new Promise<string>((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) resolve(`${child.signalCode ?? child.exitCode}`);
			else child.once("exit", (code, signal) => resolve(`${signal ?? code}`));
		});
		return {
			exited,
			port: ports.port,
			inspectorPort: ports.inspectorPort,
			pid: child.pid as number,
			dispose: () => stop(child),
		};
	} finally {
		await rm(configDir, { recursive: true, force: true });
	}
}

/** Waits for workerd's "listen" message (and the inspector's); rejects with its stderr if it exits first. */
function listening(child: ChildProcess, inspector: boolean, timeoutMs: number) {
	let timer: NodeJS.Timeout | undefined;
	return new Promise<{ port: number; inspectorPort: number | undefined }>((resolve, reject) => {
		timer = setTimeout(() => reject(new Error(`workerd was not serving after ${timeoutMs} ms`)), timeoutMs);
		let stderr = "";
		let port: number | undefined;
		let inspectorPort: number | undefined;
		const stderrStream = child.stderr as Readable;
		const keep = (chunk: Buffer) => {
			stderr += chunk.toString("utf8");
		};
		stderrStream.on("data", keep);
		const onExit = (code: number | null, signal: string | null) =>
			reject(new Error(`workerd exited before it served (${signal ?? code}): ${stderr.trim() || "no message"}`));
		child.once("exit", onExit);
		child.once("error", reject);
		const control = createInterface(child.stdio[3] as Readable);
		control.on("line", (line) => {
			let message: ControlMessage;
			try {
				message = JSON.parse(line) as ControlMessage;
			} catch {
				return;
			}
			if (message.event === "listen" && message.socket === SOCKET_NAME) port = message.port;
			if (message.event === "listen-inspector") inspectorPort = message.port;
			if (port === undefined || (inspector && inspectorPort === undefined)) return;
			child.removeListener("exit", onExit);
			// From now on workerd's own messages (a Worker's console.error, an uncaught exception) go to ours.
			stderrStream.removeListener("data", keep);
			if (stderr) process.stderr.write(stderr);
			stderrStream.pipe(process.stderr, { end: false });
			resolve({ port, inspectorPort });
		});
	})
		.catch((error: unknown) => {
			child.kill("SIGKILL");
			throw error;
		})
		.finally(() => clearTimeout(timer));
}

function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
		child.once("exit", () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill("SIGTERM");
	});
}
