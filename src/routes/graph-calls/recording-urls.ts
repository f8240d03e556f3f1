import * as v from "valibot";
import { MAX_NAMESPACE_LENGTH } from "../../auth/tester-namespace";
import { Key } from "../../schema/scalars";

// A recording's URL names its call (namespace and call id, base64url JSON) and the recording's own id:
// the Worker finds the call object from the URL alone; only the recording's access token reads it.

const toBase64Url = (text: string) =>
	btoa(String.fromCharCode(...new TextEncoder().encode(text)))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replaceAll("=", "");

function fromBase64Url(text: string): string | undefined {
	try {
		const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
		return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
			Uint8Array.from(binary, (c) => c.charCodeAt(0)),
		);
	} catch {
		return undefined;
	}
}

export const recordingBase = (origin: string, namespace: string, callId: string) =>
	`${origin}/_stub/recordings/${toBase64Url(JSON.stringify([namespace, callId]))}.`;

/** The call and recording a `/_stub/recordings/{key}.{id}` names, or undefined. */
export function parseRecordingKey(key: string): { namespace: string; callId: string; id: string } | undefined {
	const dot = key.lastIndexOf(".");
	if (dot < 1 || key.length > 2048) return undefined;
	const json = fromBase64Url(key.slice(0, dot));
	if (json === undefined) return undefined;
	try {
		const pair = JSON.parse(json) as unknown;
		if (!Array.isArray(pair) || pair.length !== 2) return undefined;
		const [namespace, callId] = pair as unknown[];
		// Only what a real call could be: a namespace the stub hands out and a call id the routes accept.
		if (typeof namespace !== "string" || !namespace || namespace.length > MAX_NAMESPACE_LENGTH) return undefined;
		if (!v.is(Key, callId)) return undefined;
		return { namespace, callId, id: key.slice(dot + 1) };
	} catch {
		return undefined;
	}
}
