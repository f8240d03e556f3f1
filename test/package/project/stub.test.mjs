// Runs in a fresh project that installed the packed graph-comms-stub (see ../run.ts), with node:test on
// whatever Node the machine has: startStub() in before/after, the official Graph JS client over HTTPS.
// Node trusts the stub's CA either from NODE_EXTRA_CA_CERTS (the CA made in STUB_TLS_DIR by an earlier
// start: any Node) or through stub.trustCa() (a CA made now: Node 22.19+).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client } from "@microsoft/microsoft-graph-client";
import { startStub } from "graph-comms-stub";

const config = { progression: { default: [{ status: "Running", afterMs: 3_600_000 }] } };
let stub;
let client;

before(async () => {
	const started = performance.now();
	const tlsDir = process.env.STUB_TLS_DIR;
	stub = await startStub({ https: tlsDir ? { dir: tlsDir } : true, config, tokens: ["bot-token"] });
	console.log(`startStub() on Node ${process.version}: ${Math.round(performance.now() - started)} ms`);
	if (!tlsDir) stub.trustCa();
	client = Client.init({
		baseUrl: `${stub.url}/`,
		defaultVersion: "beta",
		customHosts: new Set([new URL(stub.url).hostname]),
		authProvider: (done) => done(null, stub.token),
	});
});

after(() => stub.close());

test("serves HTTPS with the CA file it reports", () => {
	assert.match(stub.url, /^https:\/\/127\.0\.0\.1:\d+$/);
	const tlsDir = process.env.STUB_TLS_DIR ?? `${stub.stateDir}/tls`;
	assert.equal(stub.caFile, `${tlsDir}/ca.pem`);
	assert.equal(stub.token, "bot-token");
});

test("creates and lists operations through the Graph client", async () => {
	const created = await client.api("/communications/calls/my-call/operations").post({ clientContext: "package-test" });
	assert.equal(created.clientContext, "package-test");
	const list = await client.api("/communications/calls/my-call/operations").get();
	assert.deepEqual(
		list.value.map((operation) => operation.id),
		[created.id],
	);
});

test("applied the namespace configuration for the token; reset empties the namespace", async () => {
	const response = await fetch(`${stub.url}/_stub/config`, { headers: stub.headers() });
	assert.equal(response.status, 200);
	assert.match(await response.text(), /"afterMs":3600000/);
	await stub.reset();
	await assert.rejects(client.api("/communications/calls/my-call/operations").get(), { statusCode: 404 });
});
