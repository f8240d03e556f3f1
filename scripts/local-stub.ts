import { connect, type Socket } from "node:net";
import { dirname, join, resolve } from "node:path";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare, type V4WorkerOptions } from "miniflare";
import { type LocalTls, localTls } from "./local-tls.ts";
import { type BuiltWorker, buildWorker, ROOT } from "./worker-build.ts";

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
};

export type LocalStub = {
	url: URL;
	stateDir: string;
	/** With https: the CA file a client must trust, and the server certificate's SHA-256 fingerprint. */
	tls: LocalTls | undefined;
	miniflare: Miniflare;
	dispose: () => Promise<void>;
};

export type ServedWorker = Omit<V4WorkerOptions, "modules" | "modulesRoot" | "unsafeDirectSockets"> & {
	scriptPath: string;
};

const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|::1|\[::1\])$/i;

/**
 * What the Worker is told about where it is served (SERVED_FROM): "local" only when it listens on
 * loopback alone. Listening beyond this machine (`--host 0.0.0.0`) it behaves as deployed: callbacks
 * only to https hosts in CALLBACK_HOSTS (no loopback exemption a remote caller could use against this
 * machine), and no `claims` mode.
 */
export const servedFrom = (host = "127.0.0.1") => (LOOPBACK_HOST.test(host) ? "local" : "network");

/**
 * Serves the Worker straight from workerd through Miniflare, with the bindings of wrangler.toml:
 * no dev proxy, no inspector, no per-request log lines, no request for a real `Request.cf`.
 * The Worker is built from src/ unless a built one is given (the installed package gives its own).
 */
export async function startLocalStub(options: LocalStubOptions & { worker?: BuiltWorker } = {}): Promise<LocalStub> {
	const { scriptPath, workerOptions } = options.worker ?? (await buildWorker(undefined, options.scriptPath));
	const bindings = { ...(workerOptions.bindings ?? {}), SERVED_FROM: servedFrom(options.host), ...options.vars };
	return serveWorker({ ...workerOptions, scriptPath, bindings }, options);
}

/**
 * Serves one ES-module Worker file the way `npm start` does; the benchmark's baselines use it too.
 *
 * Clients reach the Worker on a workerd *direct socket* (`unsafeDirectSockets`): workerd hands each request
 * to the Worker itself. Miniflare's own entry socket (its entry Worker reads internal `MF-*` headers, trusts
 * `X-Forwarded-Proto`, answers its own errors, and costs about 3× on a stateless path) only listens on a
 * random loopback port that nothing is told about. With https, Node terminates TLS and pipes the bytes
 * unchanged to the direct socket; `PUBLIC_SCHEME` tells the Worker that its clients speak https.
 */
export async function serveWorker(worker: ServedWorker, options: LocalStubOptions = {}): Promise<LocalStub> {
	const stateDir = resolve(options.stateDir ?? join(ROOT, ".wrangler", "state", "stub"));
	const tls = options.https ? await localTls(options.https.dir ?? join(stateDir, "tls")) : undefined;
	const host = options.host ?? "127.0.0.1";
	const port = options.port ?? 8787;
	// wrangler hands out Miniflare 4-shaped worker options; this Miniflare converts them to its own shape.
	const config = convertV4MiniflareOptions({
		workers: [
			{
				...worker,
				modules: true,
				modulesRoot: dirname(worker.scriptPath),
				bindings: { ...(worker.bindings ?? {}), ...(tls ? { PUBLIC_SCHEME: "https" } : {}) },
				unsafeDirectSockets: [tls ? { host: "127.0.0.1", port: 0 } : { host, port }],
			},
		],
		host: "127.0.0.1",
		port: 0,
		resourcePersistencePath: stateDir,
		cf: false,
		logRequests: false,
		log: new Log(LogLevel.WARN),
		...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
	});
	const miniflare = new Miniflare(config);
	let direct: URL;
	try {
		await miniflare.ready;
		direct = await miniflare.unsafeGetDirectURL();
	} catch (error) {
		await miniflare.dispose();
		throw error;
	}
	if (!tls) return { url: direct, stateDir, tls, miniflare, dispose: () => miniflare.dispose() };

	const terminator = await terminateTls(tls, host, port, Number(direct.port)).catch(async (error: unknown) => {
		await miniflare.dispose();
		throw error;
	});
	const url = new URL(`https://${direct.hostname === "127.0.0.1" ? accessibleHost(host) : direct.hostname}`);
	url.port = String(terminator.port);
	const dispose = async () => {
		await terminator.close();
		await miniflare.dispose();
	};
	return { url, stateDir, tls, miniflare, dispose };
}

/** How a client on this machine reaches `host`: a wildcard address is reached on loopback. */
const accessibleHost = (host: string) =>
	host === "0.0.0.0" || host === "::" || host === "*" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

const LINGER_MS = 50;
const LINGER_MAX_MS = 2000;

/**
 * A TLS listener that pipes each decrypted connection, byte for byte, to workerd's plain-http socket on
 * loopback: no HTTP parsing here, so both schemes see exactly the same requests and answers.
 */
async function terminateTls(tls: LocalTls, host: string, port: number, target: number) {
	const open = new Set<Socket>();
	// Half-open: a client may finish its request (FIN) and still wait for the answer.
	const server = createTlsServer({ key: tls.key, cert: tls.cert, allowHalfOpen: true }, (client: TLSSocket) => {
		const upstream = connect({ port: target, host: "127.0.0.1", allowHalfOpen: true });
		open.add(upstream);
		let lastFromClient = Date.now();
		let upstreamDone = false;
		client.on("data", () => {
			lastFromClient = Date.now();
		});
		client.pipe(upstream);
		upstream.pipe(client, { end: false });
		// workerd may answer early (a 413 before the body) and close while the client still sends. Ending
		// the client at once would cut a request it is still writing, so, like a server's lingering close,
		// what it still sends is read and dropped, and the client is ended once it has been quiet a moment.
		const finish = () => {
			if (upstreamDone) return;
			upstreamDone = true;
			client.unpipe(upstream);
			client.resume();
			const giveUpAt = Date.now() + LINGER_MAX_MS;
			const endWhenQuiet = () => {
				const quietFor = Date.now() - lastFromClient;
				if (client.readableEnded || quietFor >= LINGER_MS || Date.now() >= giveUpAt) client.end();
				else setTimeout(endWhenQuiet, LINGER_MS - quietFor).unref();
			};
			endWhenQuiet();
		};
		upstream.on("end", finish).on("error", finish);
		upstream.on("close", () => {
			open.delete(upstream);
			finish();
		});
		client.on("error", () => client.destroy()).on("close", () => upstream.destroy());
	});
	// Every connection, also one whose handshake never completes, so that closing ends them all.
	server.on("connection", (socket: Socket) => {
		open.add(socket);
		socket.on("close", () => open.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(port, host, () => resolve());
	});
	const address = server.address();
	if (address === null || typeof address === "string") throw new Error("the TLS listener has no port");
	return {
		port: address.port,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of open) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
