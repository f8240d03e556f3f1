import { wavFile } from "./wav";

// A call's recordings: made when a recordResponse finishes, fetched with their access token. The PCM
// is stored only when the tester supplied audio; silence is made when the recording is fetched.

const KEPT_RECORDINGS = 5;
/** Bytes of 16 kHz mono 16-bit PCM per millisecond. */
const BYTES_PER_MS = 32;

const randomHex = (bytes: number) =>
	[...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

export type Recording = { location: string; accessToken: string };

/**
 * Stores a recording of `durationMs` (the tester's next audio, if any, cut or padded to that length) under
 * `id`, the one its URL (sealed by the Worker) names.
 */
export function makeRecording(
	sql: SqlStorage,
	{ location, id }: { location: string; id: string },
	durationMs: number,
): Recording {
	const token = randomHex(32);
	const supplied = sql
		.exec<{ next_audio: ArrayBuffer | null }>("SELECT next_audio FROM call_media")
		.toArray()[0]?.next_audio;
	const pcm = supplied ? new Uint8Array(supplied).slice(0, durationMs * BYTES_PER_MS) : null;
	if (supplied) sql.exec("UPDATE call_media SET next_audio = NULL");
	sql.exec("INSERT INTO recordings (id, token, duration_ms, pcm) VALUES (?, ?, ?, ?)", id, token, durationMs, pcm);
	sql.exec(
		"DELETE FROM recordings WHERE seq <= (SELECT seq FROM recordings ORDER BY seq DESC LIMIT 1 OFFSET ?)",
		KEPT_RECORDINGS,
	);
	return { location, accessToken: token };
}

/** The tester's audio for the next recording (PCM samples already checked by the Worker). */
export function supplyAudio(sql: SqlStorage, pcm: Uint8Array): void {
	sql.exec("INSERT OR IGNORE INTO call_media (only_row) VALUES (1)");
	sql.exec("UPDATE call_media SET next_audio = ?", pcm);
}

type RecordingRow = { token: string; duration_ms: number; pcm: ArrayBuffer | null };

/** The WAV of recording `id` if `token` is its access token; undefined otherwise (no hint which failed). */
export function readRecording(sql: SqlStorage, id: string, token: string): Uint8Array | undefined {
	const row = sql.exec<RecordingRow>("SELECT token, duration_ms, pcm FROM recordings WHERE id = ?", id).toArray()[0];
	if (!row || !sameSecret(row.token, token)) return undefined;
	return wavFile(row.pcm ? new Uint8Array(row.pcm) : new Uint8Array(0), row.duration_ms);
}

function sameSecret(a: string, b: string): boolean {
	const left = new TextEncoder().encode(a);
	const right = new TextEncoder().encode(b);
	return left.byteLength === right.byteLength && crypto.subtle.timingSafeEqual(left, right);
}
