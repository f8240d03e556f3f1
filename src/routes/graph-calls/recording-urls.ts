import * as v from "valibot";
import { MAX_NAMESPACE_LENGTH } from "../../auth/tester-namespace";
import { signingKeysObject } from "../../objects/keys/signing-keys";
import { Key } from "../../schema/scalars";
import { type Settings, settingsOf } from "../../settings/settings";

// A recording's URL is `/_stub/recordings/{sealed}`: its call (namespace, call id) and its own id, sealed
// with AES-256-GCM under a deployment secret. GCM is an AEAD: decryption checks the 128-bit tag (in the
// runtime's constant-time code) before any plaintext exists, so a forged or altered key is refused in the
// Worker without touching a call object (junk keys create none), and, encrypted, the URL does not reveal
// the namespace. The recording's access token still guards the WAV itself. Opening a key needs no lookup
// table: the call object only stores recordings under the id the Worker chose (the operation's id).

const MAX_KEY_LENGTH = 2048;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Binds a sealed key to this one use (and format): a ciphertext made for anything else does not open. */
const CONTEXT = new TextEncoder().encode("graph-comms-stub recording url v1");

const toBase64Url = (bytes: Uint8Array) =>
	btoa(String.fromCharCode(...bytes))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replaceAll("=", "");

function fromBase64Url(text: string): Uint8Array | undefined {
	if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length > MAX_KEY_LENGTH) return undefined;
	try {
		return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
	} catch {
		return undefined;
	}
}

// The AES key, per settings object (so per isolate): from STUB_RECORDING_SECRET, else from the secret the
// deployment's SigningKeys object made once (an object that exists already: a junk request makes none).
const keys = new WeakMap<Settings, Promise<CryptoKey>>();

function sealingKey(env: Env): Promise<CryptoKey> {
	const settings = settingsOf(env);
	let key = keys.get(settings);
	if (!key) {
		const loading = (async () => {
			const secret = settings.recordingSecret ?? (await signingKeysObject(env).recordingSecret());
			const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, [
				"deriveKey",
			]);
			return crypto.subtle.deriveKey(
				{ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: CONTEXT },
				material,
				{ name: "AES-GCM", length: 256 },
				false,
				["encrypt", "decrypt"],
			);
		})();
		// A failed fetch is not kept: the next request asks again.
		loading.catch(() => {
			if (keys.get(settings) === loading) keys.delete(settings);
		});
		keys.set(settings, loading);
		key = loading;
	}
	return key;
}

type RecordingRef = { namespace: string; callId: string; id: string };

/** The URL of recording `id` of a call: `{origin}/_stub/recordings/{sealed}`. */
export async function recordingUrl(env: Env, origin: string, ref: RecordingRef): Promise<string> {
	const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
	const plain = new TextEncoder().encode(JSON.stringify([ref.namespace, ref.callId, ref.id]));
	const sealed = new Uint8Array(
		await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: CONTEXT }, await sealingKey(env), plain),
	);
	const bytes = new Uint8Array(IV_BYTES + sealed.byteLength);
	bytes.set(iv);
	bytes.set(sealed, IV_BYTES);
	return `${origin}/_stub/recordings/${toBase64Url(bytes)}`;
}

/** The recording a `/_stub/recordings/{key}` names, if this deployment sealed that key; else undefined. */
export async function openRecordingKey(env: Env, key: string): Promise<RecordingRef | undefined> {
	const bytes = fromBase64Url(key);
	if (!bytes || bytes.byteLength <= IV_BYTES + TAG_BYTES) return undefined;
	let plain: ArrayBuffer;
	try {
		plain = await crypto.subtle.decrypt(
			{ name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: CONTEXT },
			await sealingKey(env),
			bytes.subarray(IV_BYTES),
		);
	} catch {
		return undefined; // the tag does not verify: not a key this deployment sealed
	}
	try {
		const triple = JSON.parse(new TextDecoder().decode(plain)) as unknown;
		if (!Array.isArray(triple) || triple.length !== 3) return undefined;
		const [namespace, callId, id] = triple as unknown[];
		// Sealed by the stub itself, so always well-formed; checked anyway before naming an object.
		if (typeof namespace !== "string" || !namespace || namespace.length > MAX_NAMESPACE_LENGTH) return undefined;
		if (!v.is(Key, callId) || typeof id !== "string" || !id) return undefined;
		return { namespace, callId, id };
	} catch {
		return undefined;
	}
}
