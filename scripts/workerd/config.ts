import { relative, sep } from "node:path";

// The workerd configuration (Cap'n Proto text, workerd's own format) that serves one ES-module Worker
// with wrangler.toml's bindings: its text vars, its SQLite Durable Objects kept in `<state>/do`, one
// listening socket (http, or https with a given key pair), and the network for its outbound fetches.
// workerd runs it on its own: no Node process has to host a runtime while the stub serves.

/** The Worker options this launcher serves, as wrangler reads them from wrangler.toml. */
export type ServedWorker = {
	/** The bundled ES module (every import inlined but `cloudflare:*` and `node:*`). */
	scriptPath: string;
	compatibilityDate?: string;
	compatibilityFlags?: string[];
	/** [vars]: strings, or JSON values. */
	bindings?: Record<string, unknown>;
	durableObjects?: Record<string, string | { className: string; useSQLite?: boolean; scriptName?: string }>;
	[option: string]: unknown;
};

/** Where workerd listens: `host` bare (an IPv6 address without brackets). */
export type Listen = { host: string; port: number; tls?: { key: string; cert: string } };

export type WorkerdConfig = {
	/** The configuration's text; the files it embeds are named relative to `configDir`. */
	text: string;
	/** The environment workerd needs: every string var travels here, never in the file. */
	env: Record<string, string>;
};

/** Options wrangler hands out that this launcher serves; any other one must be empty (else: refuse). */
const SERVED_OPTIONS = new Set([
	"scriptPath",
	"compatibilityDate",
	"compatibilityFlags",
	"bindings",
	"durableObjects",
	"rootPath",
	"name",
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The socket's name in workerd's control messages ("listen"). */
export const SOCKET_NAME = "http";
/** Where a string var's value waits in workerd's environment. */
const ENV_PREFIX = "GRAPH_COMMS_STUB_VAR_";

/** A Cap'n Proto text string literal: quotes, backslashes and control characters escaped. */
export function capnpString(value: string): string {
	let out = '"';
	for (const char of value) {
		const code = char.codePointAt(0) ?? 0;
		if (char === '"' || char === "\\") out += `\\${char}`;
		else if (char === "\n") out += "\\n";
		else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
		else out += char;
	}
	return `${out}"`;
}

const isEmpty = (value: unknown) =>
	value === undefined ||
	value === null ||
	(Array.isArray(value) && value.length === 0) ||
	(typeof value === "object" && Object.keys(value as object).length === 0);

/** The configuration for `worker`, written to a file in `configDir`, keeping its Durable Objects in `stateDir`. */
export function workerdConfig(
	worker: ServedWorker,
	o: { configDir: string; stateDir: string; listen: Listen; trustedCertificates?: string[] },
): WorkerdConfig {
	for (const [option, value] of Object.entries(worker)) {
		// An email binding list that names nothing is how wrangler says "no email".
		const emptyEmail = option === "email" && Object.values(value as object).every(isEmpty);
		if (!SERVED_OPTIONS.has(option) && !isEmpty(value) && !emptyEmail)
			throw new Error(`wrangler.toml sets ${option}, which the local launcher does not serve`);
	}
	const env: Record<string, string> = {};
	const bindings: string[] = [];
	for (const [name, value] of Object.entries(worker.bindings ?? {})) {
		if (!IDENTIFIER.test(name)) throw new Error(`a var's name must be an identifier, not ${JSON.stringify(name)}`);
		if (typeof value === "string") {
			env[ENV_PREFIX + name] = value;
			bindings.push(`(name = "${name}", fromEnvironment = "${ENV_PREFIX}${name}")`);
		} else bindings.push(`(name = "${name}", json = ${capnpString(JSON.stringify(value))})`);
	}
	const namespaces: string[] = [];
	for (const [name, declared] of Object.entries(worker.durableObjects ?? {})) {
		const { className, useSQLite, scriptName } = typeof declared === "string" ? { className: declared } : declared;
		if (!IDENTIFIER.test(name) || !IDENTIFIER.test(className))
			throw new Error(`a Durable Object binding needs identifiers, not ${name} = ${className}`);
		if (scriptName !== undefined) throw new Error(`${name} names another Worker's class, which is not served here`);
		if (useSQLite !== true) throw new Error(`${name} (${className}) must use SQLite storage`);
		bindings.push(`(name = "${name}", durableObjectNamespace = "${className}")`);
		// The unique key Miniflare gives an unnamed Worker's class: the same Durable Object ids, so a state
		// folder written by an earlier version (served through Miniflare) reads the same.
		namespaces.push(`(className = "${className}", uniqueKey = "-${className}", enableSql = true)`);
	}
	if (worker.compatibilityDate === undefined) throw new Error("wrangler.toml sets no compatibility_date");
	// Cap'n Proto names embedded files with forward slashes, also on Windows.
	const script = relative(o.configDir, worker.scriptPath).split(sep).join("/");
	const flags = (worker.compatibilityFlags ?? []).map(capnpString).join(", ");
	const { host, port, tls } = o.listen;
	const address = `${host.includes(":") ? `[${host}]` : host}:${port}`;
	const protocol = tls
		? `https = (options = (), tlsOptions = (keypair = (privateKey = ${capnpString(tls.key)}, certificateChain = ${capnpString(tls.cert)})))`
		: "http = ()";
	const trusted = (o.trustedCertificates ?? []).map(capnpString).join(", ");
	const text = `# Written by graph-comms-stub's launcher for one run of workerd.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "graph-comms-stub", worker = .stub),
    (name = "do-storage", disk = (path = ${capnpString(`${o.stateDir}/do`)}, writable = true)),
    (name = "internet", network = (
      allow = ["public", "private", "local"],
      tlsOptions = (trustBrowserCas = true, trustedCertificates = [${trusted}]))),
  ],
  sockets = [(name = "${SOCKET_NAME}", address = ${capnpString(address)}, ${protocol}, service = "graph-comms-stub")],
  # A 1 MB young generation: under load workerd's peak RSS measured 227-253 MB with it, 366-379 MB
  # without, at no measurable cost in throughput (workerd never gives freed memory back).
  v8Flags = ["--max-semi-space-size=1"],
);

const stub :Workerd.Worker = (
  modules = [(name = "index.js", esModule = embed ${capnpString(script)})],
  compatibilityDate = ${capnpString(worker.compatibilityDate)},
  compatibilityFlags = [${flags}],
  bindings = [
    ${bindings.join(",\n    ")}
  ],
  durableObjectNamespaces = [
    ${namespaces.join(",\n    ")}
  ],
  durableObjectStorage = (localDisk = "do-storage"),
  globalOutbound = "internet",
);
`;
	return { text, env };
}
