import { badRequest } from "../http/graph-error";

// `$skiptoken` = base64url("<last seq>.<tag>"), the tag binding it to one call of one namespace: a token
// altered by hand or taken from another call is refused, and can never page through another call.

const encoder = new TextEncoder();

async function tag(callKey: string, afterSeq: number): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${callKey}\n${afterSeq}`));
	return [...new Uint8Array(digest, 0, 12)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function encodeSkipToken(callKey: string, afterSeq: number): Promise<string> {
	const raw = `${afterSeq}.${await tag(callKey, afterSeq)}`;
	return btoa(raw).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The sequence number a token resumes after; 400 for anything this call did not hand out. */
export async function decodeSkipToken(callKey: string, token: string): Promise<number> {
	let raw = "";
	try {
		raw = atob(token.replaceAll("-", "+").replaceAll("_", "/"));
	} catch {
		// fall through to the refusal below
	}
	const [seq, sent] = raw.split(".");
	const afterSeq = Number(seq);
	if (!/^\d{1,15}$/.test(seq ?? "") || sent !== (await tag(callKey, afterSeq)))
		throw badRequest("The $skiptoken is not valid for this collection.");
	return afterSeq;
}
