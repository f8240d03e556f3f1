import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type LocalTls, localTls } from "./local-tls.ts";
import { type BuiltWorker, buildWorker, ROOT } from "./worker-build.ts";
import type { ServedWorker } from "./workerd/config.ts";
import { startWorkerd } from "./workerd/process.ts";

// The build (esbuild, wrangler) lives in worker-build.ts; re-exported for the scripts that import it from here.
export {
	type BuiltWorker,
	buildWorker,
	buildWorkerApart,
	bundleWorker,
	ROOT,
	readBuiltWorker,
	type WorkerOptions,
	writeBuiltWorker,
} from "./worker-build.ts";

export type LocalStubOptions = {
	host?: string;
	port?: number;
	/** Where Durable Object state is kept between runs. */
	stateDir?: string;
	/** Overrides of wrangler.toml's [vars]. */
	vars?: Record<string, string>;
	/** Serve TLS with a local CA's certificate, made on first start in `dir` (default `<stateDir>/tls`). */
	https?: { dir?: string };
	/** A Worker bundle already built by `bundleWorker` (the tests build it once per run); default: build now. */
	scriptPath?: string;
	/** Open workerd's inspector on this loopback port (0: any), for CPU profiles (bench/profile.ts). */
	inspectorPort?: number;
	/** Told workerd's process id and its configuration folder the moment it is spawned (the CLI's watchdog). */
	onSpawn?: (pid: number | undefined, configDir: string) => void;
};

export type LocalStub = {
	url: URL;
	stateDir: string;
	/** With https: the CA file a client must trust, and the server certificate's SHA-256 fingerprint. */
	tls: LocalTls | undefined;
	/** workerd's inspector (when `inspectorPort` was given): `http://127.0.0.1:<port>`. */
	inspector: URL | undefined;
	/** The workerd process that serves. */
	pid: number;
	/** Resolves when workerd ends, asked to or not: what ended it (an exit status or a signal). */
	exited: Promise<string>;
	dispose: () => Promise<void>;
};

export type { ServedWorker } from "./workerd/config.ts";

const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|::1|\[::1\])$/i;

/**
 * What the Worker is told about where it is served (SERVED_FROM): "local" only when it listens on
 * loopback alone. Listening beyond this machine (`--host 0.0.0.0`) it behaves as deployed: callbacks
 * only to https hosts in CALLBACK_HOSTS (no loopback exemption a remote caller could use against this
 * machine), and no `claims` mode.
 */
export const servedFrom = (host = "127.0.0.1") => (LOOPBACK_HOST.test(host) ? "local" : "network");

/**
 * Serves the Worker from workerd, run on its own (scripts/workerd/): no dev proxy, no inspector unless
 * asked, no per-request log lines, no request for a real `Request.cf`. This process only starts and stops
 * it. The Worker is built from src/ unless a built one is given (the installed package gives its own).
 */
export async function startLocalStub(options: LocalStubOptions & { worker?: BuiltWorker } = {}): Promise<LocalStub> {
	const { scriptPath, workerOptions } = options.worker ?? (await buildWorker(undefined, options.scriptPath));
	const bindings = { ...(workerOptions.bindings ?? {}), SERVED_FROM: servedFrom(options.host), ...options.vars };
	return serveWorker({ ...workerOptions, scriptPath, bindings }, options);
}

/**
 * Serves one ES-module Worker file the way `npm start` does; the benchmark's baselines use it too.
 * With https, workerd itself ends TLS with the local CA's certificate; `PUBLIC_SCHEME` tells the Worker
 * that its clients speak https.
 */
export async function serveWorker(worker: ServedWorker, options: LocalStubOptions = {}): Promise<LocalStub> {
	const stateDir = resolve(options.stateDir ?? join(ROOT, ".wrangler", "state", "stub"));
	const tls = options.https ? await localTls(options.https.dir ?? join(stateDir, "tls")) : undefined;
	// An IPv6 address may come in brackets (`[::1]`, as in a URL): taken bare here, bracketed where needed.
	const host = (options.host ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1");
	const workerd = await startWorkerd(
		{ ...worker, bindings: { ...(worker.bindings ?? {}), ...(tls ? { PUBLIC_SCHEME: "https" } : {}) } },
		{
			stateDir,
			listen: { host, port: options.port ?? 8787, ...(tls ? { tls: { key: tls.key, cert: tls.cert } } : {}) },
			inspectorPort: options.inspectorPort,
			trustedCertificates: extraCaCertificates(),
			onSpawn: options.onSpawn,
		},
	);
	try {
		const url = new URL(`${tls ? "https" : "http"}://${accessibleHost(host)}`);
		url.port = String(workerd.port);
		const inspector =
			workerd.inspectorPort === undefined ? undefined : new URL(`http://127.0.0.1:${workerd.inspectorPort}`);
		return { url, stateDir, tls, inspector, pid: workerd.pid, exited: workerd.exited, dispose: workerd.dispose };
	} catch (error) {
		await workerd.dispose();
		throw error;
	}
}

/** How a client on this machine reaches `host`: a wildcard address is reached on loopback; IPv6 in brackets. */
function accessibleHost(host: string): string {
	if (host === "0.0.0.0" || host === "::" || host === "*") return "127.0.0.1";
	return host.includes(":") ? `[${host}]` : host;
}

/**
 * The certificates of NODE_EXTRA_CA_CERTS: a bot's webhook served with a local CA is trusted as Node trusts
 * it. As Node does, a file or a certificate that cannot be read is passed over with a warning (workerd
 * would refuse to start on it).
 */
function extraCaCertificates(): string[] {
	const file = process.env.NODE_EXTRA_CA_CERTS;
	if (!file) return [];
	let text: string;
	try {
		text = readFileSync(file, "utf8");
	} catch (error) {
		console.warn(`graph-comms-stub: NODE_EXTRA_CA_CERTS (${file}) not read: ${(error as Error).message}`);
		return [];
	}
	const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
	return blocks.filter((pem, i) => {
		try {
			new X509Certificate(pem);
			return true;
		} catch {
			console.warn(`graph-comms-stub: NODE_EXTRA_CA_CERTS (${file}): certificate ${i + 1} is not one; not trusted`);
			return false;
		}
	});
}
