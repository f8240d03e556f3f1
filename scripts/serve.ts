import { parseArgs } from "node:util";
import packageJson from "../package.json" with { type: "json" };
import { startLocalStub } from "./local-stub.ts";

// npm start [-- --port 9000 --host 0.0.0.0 --state ./somewhere --https --auth-mode optional]
// PORT, HOST, STUB_STATE_DIR, STUB_HTTPS=1 and AUTH_MODE work too.
const { values } = parseArgs({
	options: {
		port: { type: "string", default: process.env.PORT ?? "8787" },
		host: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
		state: { type: "string", default: process.env.STUB_STATE_DIR },
		https: { type: "boolean", default: process.env.STUB_HTTPS === "1" },
		"auth-mode": { type: "string", default: process.env.AUTH_MODE ?? "bearer" },
	},
});
const authMode = values["auth-mode"];
if (authMode !== "bearer" && authMode !== "optional") throw new Error(`--auth-mode must be bearer or optional`);

const stub = await startLocalStub({
	port: Number(values.port),
	host: values.host,
	stateDir: values.state,
	https: values.https ? {} : undefined,
	vars: { AUTH_MODE: authMode },
});
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
	`  auth    ${authMode === "optional" ? 'optional: requests without a token share the namespace "anonymous"' : "a bearer token is required"}`,
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
