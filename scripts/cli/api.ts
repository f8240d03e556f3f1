import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import type { Socket } from "node:net";
import { dirname, join } from "node:path";
import tls from "node:tls";
import { fileURLToPath } from "node:url";
import { DEFAULT_TOKEN, LIFELINE_ENV, type ReadyLine } from "./contract.ts";
import { putNamespaceConfig, resetNamespace } from "./http.ts";
import { serverNode } from "./node22.ts";

export type StartStubOptions = {
	/** Port to listen on; 0 (the default) picks a free one. */
	port?: number;
	/** Address to listen on (default 127.0.0.1). */
	host?: string;
	/**
	 * Keep calls in this folder across starts; default: a temporary folder in memory (/dev/shm where it has
	 * room, else the system's temp folder), deleted when the stub stops.
	 */
	stateDir?: string;
	/** Serve HTTPS with a local CA; `dir` is where the CA is made and reused (default `<stateDir>/tls`). */
	https?: boolean | { dir?: string };
	/** The Worker's AUTH_MODE (default "bearer": every request needs a bearer token). */
	authMode?: string;
	/** A namespace default configuration (the body of `PUT /_stub/config`), set at start for each token. */
	config?: unknown;
	/** The testers' bearer tokens `config` applies to (default ["any-token"]); the first is `stub.token`. */
	tokens?: string[];
	/** How long to wait for the stub to serve (default 30 000 ms). */
	timeoutMs?: number;
};

export type Stub = {
	/** The stub's origin, e.g. "http://127.0.0.1:40123" (no trailing slash). */
	url: string;
	/** Graph's beta root on the stub, e.g. "http://127.0.0.1:40123/beta": a Graph client's baseUrl/version. */
	graphUrl: string;
	/** With https: the local CA's PEM file (trust it: NODE_EXTRA_CA_CERTS, or `ca` in Node's TLS options). */
	caFile?: string;
	/** With https: the local CA's PEM text. */
	ca?: string;
	/**
	 * With https: makes this process's TLS clients (fetch, node:https, the Graph SDKs on them) trust the
	 * stub's CA from now on, beside the usual ones. Needs Node 22.19+ (tls.setDefaultCACertificates);
	 * on an older Node it throws: start the process with NODE_EXTRA_CA_CERTS=<caFile> instead.
	 */
	trustCa: () => void;
	/** Where the calls are kept. */
	stateDir: string;
	/** The calls are kept in memory (a temporary folder on a tmpfs): no disk writes, gone at close(). */
	memory: boolean;
	/** The first configured token (default "any-token"). */
	token: string;
	/** `{ Authorization: "Bearer <token>" }` for a token (default `stub.token`). */
	headers: (token?: string) => Record<string, string>;
	/** Sets a namespace's default configuration (`PUT /_stub/config`), as the tester of `token`. */
	configure: (config: unknown, token?: string) => Promise<void>;
	/** Deletes every call of a namespace (`DELETE /_stub/calls`), e.g. in beforeEach. */
	reset: (token?: string) => Promise<void>;
	/** Stops the stub and deletes a temporary state folder. Safe to call more than once. */
	close: () => Promise<void>;
};

const CLI = join(dirname(fileURLToPath(import.meta.url)), "cli.js");

/**
 * Starts the stub in a child process (on a Node 22+, the package's own if this one is older) and
 * resolves once it serves. The child is tied to this process by a pipe: if this process ends without
 * close() — a crash, a SIGKILL, a test runner that exits — the stub and its workerd stop with it.
 */
export async function startStub(options: StartStubOptions = {}): Promise<Stub> {
	// A young generation of 1 MB: the server's own JS does little once workerd serves, and this keeps
	// about 18 MB less resident while it idles.
	const args = ["--max-semi-space-size=1", CLI, "--json", "--port", String(options.port ?? 0)];
	if (options.host !== undefined) args.push("--host", options.host);
	if (options.stateDir !== undefined) args.push("--state", options.stateDir);
	if (options.https) args.push("--https");
	if (typeof options.https === "object" && options.https.dir !== undefined) args.push("--tls-dir", options.https.dir);
	if (options.authMode !== undefined) args.push("--auth-mode", options.authMode);
	const tokens = options.tokens ?? [DEFAULT_TOKEN];
	for (const token of tokens) args.push("--token", token);

	const child = spawn(await serverNode(import.meta.url), args, {
		stdio: ["ignore", "pipe", "pipe", "pipe"],
		env: { ...process.env, [LIFELINE_ENV]: "3" },
	});
	const ready = await waitForReady(child, options.timeoutMs ?? 30_000);
	// Neither the stub nor its pipes keep this process alive: a runner that never calls close() still
	// exits, and the stub follows it.
	child.unref();
	for (const stream of [child.stdout, child.stderr, child.stdio[3]]) (stream as Socket | null)?.unref();

	const ca = ready.caFile === null ? undefined : await readFile(ready.caFile, "utf8");
	const token = tokens[0] ?? DEFAULT_TOKEN;
	const exited = new Promise<void>((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once("exit", () => resolve());
	});
	const stub: Stub = {
		url: ready.url,
		graphUrl: `${ready.url}/beta`,
		caFile: ready.caFile ?? undefined,
		ca,
		stateDir: ready.stateDir,
		memory: ready.memory,
		token,
		trustCa: () => trustInThisProcess(ca, ready.caFile),
		headers: (as = token) => ({ Authorization: `Bearer ${as}` }),
		configure: (config, as = token) => putNamespaceConfig(ready.url, JSON.stringify(config), as, ca),
		reset: (as = token) => resetNamespace(ready.url, as, ca),
		close: async () => {
			if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
			const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
			await exited;
			clearTimeout(timer);
		},
	};
	if (options.config !== undefined) {
		try {
			for (const as of tokens) await stub.configure(options.config, as);
		} catch (error) {
			await stub.close();
			throw error;
		}
	}
	return stub;
}

type DefaultCas = {
	setDefaultCACertificates?: (certs: string[]) => void;
	getCACertificates?: (type: "default") => string[];
};

function trustInThisProcess(ca: string | undefined, caFile: string | null): void {
	if (ca === undefined) throw new Error("trustCa(): the stub serves plain HTTP (start it with https)");
	const { setDefaultCACertificates, getCACertificates } = tls as unknown as DefaultCas;
	if (!setDefaultCACertificates || !getCACertificates) {
		throw new Error(
			`trustCa() needs Node 22.19 or newer (this is ${process.version}): keep the CA in a fixed folder (startStub({ https: { dir } })) and start this process with NODE_EXTRA_CA_CERTS=<dir>/ca.pem (now: ${caFile})`,
		);
	}
	setDefaultCACertificates([...getCACertificates("default"), ca]);
}

/** Reads the child's `--json` line; fails with what it printed if it exits or takes too long first. */
function waitForReady(child: ChildProcess, timeoutMs: number): Promise<ReadyLine> {
	return new Promise((resolve, reject) => {
		let stdout = "";
		let stderr = "";
		const fail = (why: string) => {
			clearTimeout(timer);
			child.kill("SIGKILL");
			reject(new Error(`graph-comms-stub did not start: ${why}\n${stderr}${stdout}`.trimEnd()));
		};
		const timer = setTimeout(() => fail(`not serving after ${timeoutMs} ms`), timeoutMs);
		const onStderr = (chunk: string) => {
			stderr += chunk;
		};
		const onStdout = (chunk: string) => {
			stdout += chunk;
			const line = stdout.split("\n").find((l) => l.startsWith("{"));
			if (line === undefined || !stdout.includes("\n", stdout.indexOf(line))) return;
			clearTimeout(timer);
			child.removeListener("exit", onExit);
			// From now on its output is read and dropped, so that it never blocks on a full pipe.
			child.stdout?.removeListener("data", onStdout).resume();
			child.stderr?.removeListener("data", onStderr).resume();
			resolve(JSON.parse(line) as ReadyLine);
		};
		child.stderr?.setEncoding("utf8").on("data", onStderr);
		child.stdout?.setEncoding("utf8").on("data", onStdout);
		const onExit = (code: number | null, signal: string | null) => fail(`it exited (${signal ?? code})`);
		child.once("exit", onExit);
		child.once("error", (error) => fail(error.message));
	});
}
