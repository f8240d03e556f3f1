import { connect } from "node:tls";
import { Client, GraphError, type PageCollection, PageIterator } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kiotaAdapter, kiotaCreate } from "./helpers/kiota.ts";
import { operationsUrl, type RunningStub, startStub, tempStateDir } from "./helpers/stub.ts";

// vitest.config.ts made this folder's CA trusted by this process (NODE_EXTRA_CA_CERTS).
const trustedTls = { dir: process.env.STUB_TEST_TLS_DIR };

let stub: RunningStub;
beforeAll(async () => {
	stub = await startStub({ https: trustedTls });
});
afterAll(() => stub?.dispose());

/** The Graph JS client exactly as a bot configures it: baseUrl, customHosts, an auth provider. Nothing else. */
const sdk = (token: string) =>
	Client.initWithMiddleware({
		baseUrl: `${stub.base}/`,
		defaultVersion: "beta",
		customHosts: new Set(["127.0.0.1"]),
		authProvider: { getAccessToken: async () => token },
	});

const listIds = async (callId: string, token: string) => {
	const response = await fetch(`${operationsUrl(stub.base, callId)}?$top=999`, {
		headers: { Authorization: `Bearer ${token}` },
	});
	return response.status === 200
		? ((await response.json()) as { value: { id: string }[] }).value.map((op) => op.id)
		: response.status;
};

describe("over https on loopback", () => {
	it("serves https with the local CA's certificate", () => {
		expect(stub.base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
	});

	it("lets the Graph JS client's own AuthenticationHandler send the token: create, get, PageIterator", async () => {
		const client = sdk("sdk-https-token");
		const ids: string[] = [];
		for (let i = 0; i < 7; i++)
			ids.push((await client.api("/communications/calls/tls-call/operations").post({ clientContext: `c${i}` })).id);
		expect(await client.api(`/communications/calls/tls-call/operations/${ids[0]}`).get()).toMatchObject({ id: ids[0] });

		const first: PageCollection = await client.api("/communications/calls/tls-call/operations").top(3).get();
		const seen: string[] = [];
		await new PageIterator(client, first, (item: { id: string }) => {
			seen.push(item.id);
			return true;
		}).iterate();
		expect(seen).toEqual(ids);

		// The stub saw the token: the operations are in that token's namespace and nobody else's.
		expect(await listIds("tls-call", "sdk-https-token")).toEqual(ids);
		expect(await listIds("tls-call", "another-token")).toBe(404);
	});

	it("gets a 401 from the SDK whose customHosts do not name the stub (it then sends no token)", async () => {
		const client = Client.initWithMiddleware({
			baseUrl: `${stub.base}/`,
			defaultVersion: "beta",
			authProvider: { getAccessToken: async () => "never-sent" },
		});
		const error = await client
			.api("/communications/calls/x/operations")
			.post({})
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(GraphError);
		expect((error as GraphError).statusCode).toBe(401);
	});

	it("takes a create from a Kiota request adapter whose token provider allows only the stub's host", async () => {
		const adapter = kiotaAdapter(`${stub.base}/beta`, "kiota-token", ["127.0.0.1"]);
		const created = await kiotaCreate(adapter, "kiota-call", {
			"@odata.type": "#microsoft.graph.playPromptOperation",
			status: "Running",
			clientContext: "from-kiota",
		});
		expect(created).toMatchObject({
			odataType: "#microsoft.graph.playPromptOperation",
			status: "Running",
			clientContext: "from-kiota",
		});
		expect(created?.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(await listIds("kiota-call", "kiota-token")).toEqual([created?.id]);

		const otherHost = kiotaAdapter(`${stub.base}/beta`, "kiota-token", ["graph.microsoft.com"]);
		await expect(kiotaCreate(otherHost, "kiota-call", {})).rejects.toMatchObject({ responseStatusCode: 401 });
	});
});

describe("the local certificate", () => {
	const servedFingerprint = (base: string) =>
		new Promise<string>((resolve, reject) => {
			const { port } = new URL(base);
			const socket = connect({ host: "127.0.0.1", port: Number(port), rejectUnauthorized: false }, () => {
				resolve(socket.getPeerCertificate().fingerprint256);
				socket.end();
			});
			socket.on("error", reject);
		});

	it("is made on first start in the state folder and kept across a restart", async () => {
		const stateDir = await tempStateDir();
		const first = await startStub({ stateDir, https: {} });
		const fingerprint = await servedFingerprint(first.base);
		expect(fingerprint).toBe(first.tls?.fingerprint);
		expect(first.tls?.caPath).toBe(`${stateDir}/tls/ca.pem`);
		await first.dispose();

		const second = await startStub({ stateDir, https: {} });
		try {
			expect(await servedFingerprint(second.base)).toBe(fingerprint);
		} finally {
			await second.dispose();
		}
	});

	it("fails a client that does not trust it with a TLS error, not a silent success", async () => {
		const untrusted = await startStub({ https: {} });
		try {
			const failure = await fetch(`${untrusted.base}/_stub/health`).catch(
				(error: Error & { cause?: { code?: string } }) => error,
			);
			expect(failure).toBeInstanceOf(Error);
			expect((failure as Error & { cause?: { code?: string } }).cause?.code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
		} finally {
			await untrusted.dispose();
		}
	});
});
