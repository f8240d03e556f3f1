import { parseArgs } from "node:util";
import packageJson from "../package.json" with { type: "json" };
import { startLocalStub } from "./local-stub.ts";

// `npm start [-- --port 9000 --host 0.0.0.0 --state ./somewhere]`; PORT, HOST and STUB_STATE_DIR work too.
const { values } = parseArgs({
	options: {
		port: { type: "string", default: process.env.PORT ?? "8787" },
		host: { type: "string", default: process.env.HOST ?? "127.0.0.1" },
		state: { type: "string", default: process.env.STUB_STATE_DIR },
	},
});

const stub = await startLocalStub({ port: Number(values.port), host: values.host, stateDir: values.state });
const base = stub.url.href.replace(/\/$/, "");
console.log(`graph-comms-stub ${packageJson.version} is serving Microsoft Graph's calls/{callId}/operations

  URL     ${base}
  try     curl -s -X POST ${base}/beta/communications/calls/my-call/operations \\
            -H 'Authorization: Bearer any-token' -H 'Content-Type: application/json' -d '{"status":"Running"}'
  state   ${stub.stateDir}
  health  ${base}/_stub/health

Ctrl-C stops it; the state folder keeps every call for the next start.`);

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
