import { join } from "node:path";
import { parseArgs } from "node:util";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import packageJson from "../package.json" with { type: "json" };
import { AUTH_MODES, parseSettings } from "../src/settings/parse-settings.ts";
import { ROOT, startLocalStub } from "./local-stub.ts";

// npm start [-- --port 9000 --host 0.0.0.0 --state ./somewhere --https --auth-mode tokens]
// PORT, HOST, STUB_STATE_DIR, STUB_HTTPS=1 and AUTH_MODE work too; so do the settings below, read from
// the environment (secrets such as STUB_TOKENS stay out of the command line and the shell history).
const FROM_ENVIRONMENT = [
	"STUB_TOKENS",
	"STUB_JWT_SECRET",
	"STUB_JWKS_URL",
	"STUB_JWT_AUDIENCE",
	"STUB_JWT_ISSUER",
	"CALLBACK_HOSTS",
	"NOTIFICATIONS_PER_MINUTE",
] as const;
const { values } = parseArgs({
	options: {
		port: { type: "string", default: process.env.PORT ?? "8787" },
		host: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
		state: { type: "string", default: process.env.STUB_STATE_DIR },
		https: { type: "boolean", default: process.env.STUB_HTTPS === "1" },
		"auth-mode": { type: "string", default: process.env.AUTH_MODE ?? "any" },
	},
});
const authMode = values["auth-mode"];
const vars: Record<string, string> = { AUTH_MODE: authMode };
for (const name of FROM_ENVIRONMENT) {
	const value = process.env[name];
	if (value !== undefined) vars[name] = value;
}

// The Worker fails closed on a bad setting; refuse to start with the same message instead.
const fromToml = unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml")).workerOptions.bindings ?? {};
const settings = parseSettings({ ...fromToml, SERVED_FROM: "local", ...vars });
if (!settings.ok) {
	console.error(`graph-comms-stub: not starting: ${settings.message}. (--auth-mode: ${AUTH_MODES.join(", ")})`);
	process.exit(1);
}

const stub = await startLocalStub({
	port: Number(values.port),
	host: values.host,
	stateDir: values.state,
	https: values.https ? {} : undefined,
	vars,
});
const AUTH_DESCRIPTIONS = {
	any: "any: every bearer token is its own namespace",
	optional: 'optional: as any; requests without a token share the namespace "anonymous"',
	claims: "claims: unverified tid + appid choose the namespace (this machine only)",
	tokens: "tokens: only the tokens in STUB_TOKENS",
	hs256: "hs256: JWTs signed with STUB_JWT_SECRET",
	jwks: "jwks: JWTs signed by a key at STUB_JWKS_URL",
} as const;
const base = stub.url.href.replace(/\/$/, "");
const cacert = stub.tls ? ` --cacert ${stub.tls.caPath}` : "";
const lines = [
	`graph-comms-stub ${packageJson.version} is serving Microsoft Graph's calls/{callId}/operations`,
	"",
	`  URL     ${base}`,
	`  try     curl -s${cacert} -X POST ${base}/beta/communications/calls/my-call/operations \\`,
	`            -H 'Authorization: Bearer any-token' -H 'Content-Type: application/json' -d '{"status":"Running"}'`,
	`  state   ${stub.stateDir}`,
	`  health  ${base}/_stub/health`,
	`  auth    ${AUTH_DESCRIPTIONS[settings.settings.authMode]}`,
];
if (stub.tls) {
	lines.push(
		`  tls     certificate for localhost, 127.0.0.1 and ::1 (SHA-256 ${stub.tls.fingerprint})`,
		`  trust   NODE_EXTRA_CA_CERTS=${stub.tls.caPath}   (Node; curl --cacert, SSL_CERT_FILE or your OS store elsewhere)`,
	);
}
lines.push("", "Ctrl-C stops it; the state folder keeps every call for the next start.");
console.log(lines.join("\n"));

async function stop(signal: string) {
	console.log(`\n${signal}: stopping…`);
	await stub.dispose();
	console.log("stopped.");
	process.exit(0);
}
// Miniflare's own signal hook kills workerd and exits at once (status 143); replace it so that the
// runtime is disposed properly and the exit status says the stop was asked for.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
	process.removeAllListeners(signal);
	process.once(signal, () => void stop(signal));
}
