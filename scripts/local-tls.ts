import { randomBytes, X509Certificate } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export type LocalTls = { key: string; cert: string; caPath: string; fingerprint: string };

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * A local certificate authority and a server certificate it signs for localhost, 127.0.0.1 and ::1,
 * made on first use in `dir` and reused after, so a client trusts them once (NODE_EXTRA_CA_CERTS=ca.pem).
 */
export async function localTls(dir: string): Promise<LocalTls> {
	const caPath = join(dir, "ca.pem");
	const certPath = join(dir, "cert.pem");
	const keyPath = join(dir, "key.pem");
	let cert: string;
	let key: string;
	try {
		[cert, key] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8"), readFile(caPath, "utf8")]);
	} catch {
		({ cert, key } = await createCertificates(dir, caPath, certPath, keyPath));
	}
	return { key, cert, caPath, fingerprint: new X509Certificate(cert).fingerprint256 };
}

async function createCertificates(dir: string, caPath: string, certPath: string, keyPath: string) {
	// Loaded only to make certificates (once per folder): it is large, and a server never needs it again.
	const { generate } = await import("selfsigned");
	const notBeforeDate = new Date(Date.now() - 60_000);
	const notAfterDate = new Date(notBeforeDate.getTime() + TEN_YEARS_MS);
	// A name of its own per CA: a client that trusts one state folder's CA then finds no issuer for another
	// folder's certificate (a clear "unable to verify"), rather than a same-named CA with the wrong key.
	const caName = `graph-comms-stub local CA ${randomBytes(4).toString("hex")}`;
	const ca = await generate([{ name: "commonName", value: caName }], {
		keySize: 2048,
		algorithm: "sha256",
		notBeforeDate,
		notAfterDate,
		extensions: [
			{ name: "basicConstraints", cA: true, critical: true },
			{ name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
		],
	});
	const server = await generate([{ name: "commonName", value: "localhost" }], {
		keySize: 2048,
		algorithm: "sha256",
		notBeforeDate,
		notAfterDate,
		ca: { key: ca.private, cert: ca.cert },
		extensions: [
			{ name: "basicConstraints", cA: false },
			{ name: "keyUsage", digitalSignature: true, keyEncipherment: true },
			{ name: "extKeyUsage", serverAuth: true },
			{
				name: "subjectAltName",
				altNames: [
					{ type: 2, value: "localhost" },
					{ type: 7, ip: "127.0.0.1" },
					{ type: 7, ip: "::1" },
				],
			},
		],
	});
	await mkdir(dir, { recursive: true });
	// The CA's private key is not kept: nothing else can ever be signed with it.
	await writeFile(keyPath, server.private, { mode: 0o600 });
	await writeFile(certPath, server.cert);
	await writeFile(caPath, ca.cert);
	return { cert: server.cert, key: server.private };
}
