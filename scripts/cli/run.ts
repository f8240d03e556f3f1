import { readFile, rm } from "node:fs/promises";
import { Socket } from "node:net";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import packageJson from "../../package.json" with { type: "json" };
import { AUTH_MODES, type AuthMode, parseSettings } from "../../src/settings/parse-settings.ts";
import { type BuiltWorker, type LocalStub, servedFrom, startLocalStub } from "../local-stub.ts";
import { DEFAULT_TOKEN, LIFELINE_ENV, type ReadyLine } from "./contract.ts";
import { ephemeralStateDir } from "./ephemeral-dir.ts";
import { putNamespaceConfig } from "./http.ts";
import { startWatchdog } from "./watchdog.ts";

// Settings read from the environment as they are (secrets such as STUB_TOKENS stay out of the command
// line and the shell history); the Worker parses them with the rest.
const FROM_ENVIRONMENT = [
	"STUB_TOKENS",
	"STUB_JWT_SECRET",
	"STUB_JWKS_URL",
	"STUB_JWT_AUDIENCE",
	"STUB_JWT_ISSUER",
	"STUB_RECORDING_SECRET",
	"CALLBACK_HOSTS",
	"NOTIFICATIONS_PER_MINUTE",
] as const;

const AUTH_DESCRIPTIONS: Record<AuthMode, string> = {
	any: "any: every bearer token is its own namespace",
	optional: 'optional: as any; requests without a token share the namespace "anonymous"',
	claims: "claims: unverified tid + appid choose the namespace (this machine only)",
	tokens: "tokens: only the tokens in STUB_TOKENS",
	hs256: "hs256: JWTs signed with STUB_JWT_SECRET",
	jwks: "jwks: JWTs signed by a key at STUB_JWKS_URL",
};

export type CliSetup = {
	/** How the user runs it, for --help ("npm start --" or "npx graph-comms-stub"). */
	command: string;
	/** The built Worker to serve (npm start's build, or the package's own). */
	worker: BuiltWorker;
	/** The state folder without --state or --memory; without it, a temporary folder in memory, deleted at exit. */
	defaultStateDir?: string;
	/** Stop when this process's parent goes (npm start: the npm that ran it), not only on a signal. */
	stopWhenOrphaned?: boolean;
};

const help = (
	setup: CliSetup,
) => `graph-comms-stub ${packageJson.version}: a local stub of Microsoft Graph's calls/{callId}/operations

Usage: ${setup.command} [options]

  --port <n>          port to listen on; 0 picks a free one (default 8787; env PORT)
  --host <address>    address to listen on (default 127.0.0.1; env HOST)
  --state <folder>    keep calls in this folder across restarts (env STUB_STATE_DIR); default:
                      ${setup.defaultStateDir ?? "a temporary folder in memory, deleted when the stub stops"}
  --memory            keep calls in a temporary folder in memory (/dev/shm where it has room): no disk
                      writes, nothing kept after the stop (env STUB_MEMORY=1)${setup.defaultStateDir ? "" : "; the default"}
  --https             serve HTTPS with a local CA (env STUB_HTTPS=1); its file is printed as caFile
  --tls-dir <folder>  where the local CA and certificate are made and reused (default <state>/tls)
  --auth-mode <mode>  ${AUTH_MODES.join(", ")} (default any; env AUTH_MODE); the secrets a mode
                      needs come from the environment: ${FROM_ENVIRONMENT.join(", ")}
  --config <file>     a JSON namespace configuration, PUT to /_stub/config at start for each --token
  --token <token>     a tester's bearer token --config applies to; repeatable (default "${DEFAULT_TOKEN}");
                      with --auth-mode optional, --config also applies to the anonymous namespace
  --json              print one JSON line {"url","caFile","stateDir","memory","tokens","pid"} instead of the banner
  --help              this text

Ctrl-C or SIGTERM stops it cleanly.`;

/** runCli for a command's entry point: a bad flag or a failed start is one line on stderr and status 1. */
export function runCommand(argv: string[], setup: CliSetup): Promise<void> {
	return runCli(argv, setup).catch((error: unknown) => {
		console.error(`graph-comms-stub: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}

/** Parses the command line, serves the stub until SIGINT/SIGTERM (or the parent's lifeline closes). */
export async function runCli(argv: string[], setup: CliSetup): Promise<void> {
	const { values } = parseArgs({
		args: argv,
		options: {
			port: { type: "string", default: process.env.PORT ?? "8787" },
			host: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
			state: { type: "string", default: process.env.STUB_STATE_DIR },
			memory: { type: "boolean", default: process.env.STUB_MEMORY === "1" },
			https: { type: "boolean", default: process.env.STUB_HTTPS === "1" },
			"tls-dir": { type: "string" },
			"auth-mode": { type: "string", default: process.env.AUTH_MODE },
			config: { type: "string" },
			token: { type: "string", multiple: true },
			json: { type: "boolean", default: false },
			help: { type: "boolean", default: false },
		},
	});
	if (values.help) {
		console.log(help(setup));
		return;
	}
	const port = Number(values.port);
	if (!/^\d+$/.test(values.port.trim()) || !Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`--port must be 0 to 65535, not ${values.port}`);
	const config = values.config === undefined ? undefined : await readConfig(values.config);
	const tokens = values.token ?? [DEFAULT_TOKEN];
	const authMode = values["auth-mode"];
	const vars: Record<string, string> = authMode === undefined ? {} : { AUTH_MODE: authMode };
	for (const name of FROM_ENVIRONMENT) {
		const value = process.env[name];
		if (value !== undefined) vars[name] = value;
	}
	// The Worker fails closed on a bad setting; refuse to start with the same message instead.
	const { worker } = setup;
	const bindings = worker.workerOptions.bindings ?? {};
	const settings = parseSettings({ ...bindings, SERVED_FROM: servedFrom(values.host), ...vars });
	if (!settings.ok) throw new Error(`not starting: ${settings.message}. (--auth-mode: ${AUTH_MODES.join(", ")})`);

	if (values.memory && values.state !== undefined) throw new Error("--memory and --state exclude each other");
	const explicitState = values.memory ? undefined : (values.state ?? setup.defaultStateDir);
	const temporary = explicitState === undefined ? await ephemeralStateDir() : undefined;
	const tempState = temporary?.dir;
	const stateDir = resolve(explicitState ?? (tempState as string));
	const memory = temporary?.memory ?? false;
	// Armed before workerd exists, and signals caught from here on: a stop in the middle of starting
	// (Ctrl-C, SIGTERM, even a SIGKILL of this process) leaves no workerd and no temporary folder behind.
	const watchdog = startWatchdog(tempState);
	let stub: LocalStub | undefined;
	let stopAsked: string | undefined;
	let stopping = false;
	const log = values.json ? console.error : console.log;
	async function stop(reason: string, status = 0) {
		if (stopping) return;
		stopping = true;
		log(`\n${reason}: stopping…`);
		await stub?.dispose();
		watchdog.disarm();
		if (tempState) await rm(tempState, { recursive: true, force: true });
		log("stopped.");
		process.exit(status);
	}
	/** A stop asked for while starting waits for the start to end (workerd to serve or to fail). */
	const requestStop = (reason: string) => {
		if (stub) void stop(reason);
		else stopAsked ??= reason;
	};
	// Replace any earlier signal hook (a library's) so that the runtime is disposed properly and the exit
	// status says the stop was asked for. A second signal (Ctrl-C reaches a launcher and this process both)
	// does not cut the stop short.
	for (const signal of ["SIGINT", "SIGTERM"] as const) {
		process.removeAllListeners(signal);
		process.on(signal, () => requestStop(signal));
	}
	const lifeline = process.env[LIFELINE_ENV];
	if (lifeline !== undefined) {
		const pipe = new Socket({ fd: Number(lifeline), readable: true, writable: false });
		pipe.on("error", () => {});
		pipe.on("close", () => requestStop("parent process gone"));
		pipe.resume();
	}
	if (setup.stopWhenOrphaned) {
		// npm start's npm may be stopped alone (its shell dies with it; this process is then adopted).
		const parent = process.ppid;
		setInterval(() => process.ppid !== parent && requestStop("parent process gone"), 1000).unref();
	}

	try {
		stub = await startLocalStub({
			worker,
			port,
			host: values.host,
			stateDir,
			https: values.https ? { dir: values["tls-dir"] } : undefined,
			vars,
			onSpawn: (pid, configDir) => watchdog.watch(pid, configDir),
		});
	} catch (error) {
		watchdog.disarm();
		if (tempState) await rm(tempState, { recursive: true, force: true });
		if (stopAsked === undefined) throw error;
		log(`\n${stopAsked}: stopped while starting.`);
		process.exit(0);
	}
	if (stopAsked !== undefined) return stop(stopAsked);
	// workerd ending first leaves nothing serving: stop, and say so. Ctrl-C reaches workerd too (it ends
	// by SIGINT, and by a clean exit on SIGTERM): that is a stop asked for; anything else (SIGKILL, a crash)
	// is a failure.
	void stub.exited.then((how) => stop(`workerd ended (${how})`, ["SIGINT", "SIGTERM", "0"].includes(how) ? 0 : 1));

	const base = stub.url.href.replace(/\/$/, "");
	const ca = stub.tls ? await readFile(stub.tls.caPath, "utf8") : undefined;
	if (config !== undefined) {
		try {
			for (const token of tokens) await putNamespaceConfig(base, config, token, ca);
			if (authMode === "optional") await putNamespaceConfig(base, config, undefined, ca);
		} catch (error) {
			console.error(`--config ${values.config}: ${(error as Error).message}`);
			await stop("configuration refused", 1);
			return;
		}
	}

	if (values.json) {
		const ready: ReadyLine = {
			url: base,
			caFile: stub.tls?.caPath ?? null,
			stateDir,
			memory,
			tokens,
			pid: process.pid,
		};
		console.log(JSON.stringify(ready));
		return;
	}
	console.log(
		banner({
			base,
			stateDir,
			authMode: settings.settings.authMode,
			tls: stub.tls,
			temporary: tempState !== undefined,
			memory,
			config: values.config,
			tokens,
		}),
	);
}

async function readConfig(file: string): Promise<string> {
	const text = await readFile(file, "utf8");
	try {
		JSON.parse(text);
	} catch (error) {
		throw new Error(`--config ${file} is not JSON: ${(error as Error).message}`);
	}
	return text;
}

function banner(o: {
	base: string;
	stateDir: string;
	authMode: AuthMode;
	tls: { caPath: string; fingerprint: string } | undefined;
	temporary: boolean;
	memory: boolean;
	config: string | undefined;
	tokens: string[];
}): string {
	const cacert = o.tls ? ` --cacert ${o.tls.caPath}` : "";
	const lines = [
		`graph-comms-stub ${packageJson.version} is serving Microsoft Graph's calls/{callId}/operations`,
		"",
		`  URL     ${o.base}`,
		`  try     curl -s${cacert} -X POST ${o.base}/beta/communications/calls/my-call/operations \\`,
		`            -H 'Authorization: Bearer ${DEFAULT_TOKEN}' -H 'Content-Type: application/json' -d '{"status":"Running"}'`,
		`  state   ${o.stateDir}${o.temporary ? `   (temporary${o.memory ? ", in memory" : ""}: deleted when the stub stops)` : ""}`,
		`  health  ${o.base}/_stub/health`,
		`  auth    ${AUTH_DESCRIPTIONS[o.authMode]}`,
	];
	if (o.config !== undefined)
		lines.push(`  config  ${o.config} is the namespace default for ${o.tokens.map((t) => `"${t}"`).join(", ")}`);
	if (o.tls) {
		lines.push(
			`  tls     certificate for localhost, 127.0.0.1 and ::1 (SHA-256 ${o.tls.fingerprint})`,
			`  trust   NODE_EXTRA_CA_CERTS=${o.tls.caPath}   (Node; curl --cacert, SSL_CERT_FILE or your OS store elsewhere)`,
		);
	}
	lines.push("", `Ctrl-C stops it${o.temporary ? "." : "; the state folder keeps every call for the next start."}`);
	return lines.join("\n");
}
