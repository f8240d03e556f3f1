// A WAV file as Graph's media expects it: 16 kHz, mono, 16-bit little-endian PCM.

export const SAMPLE_RATE = 16_000;
const BYTES_PER_SAMPLE = 2;
const HEADER_BYTES = 44;

/** Bytes of PCM for `durationMs` (whole samples). */
export const pcmBytesFor = (durationMs: number) => Math.round((durationMs * SAMPLE_RATE) / 1000) * BYTES_PER_SAMPLE;

/**
 * A RIFF/WAVE file of exactly `durationMs`: `pcm` first (cut to length), then silence. Pure: the same
 * input gives the same bytes.
 */
export function wavFile(pcm: Uint8Array, durationMs: number): Uint8Array {
	const dataBytes = pcmBytesFor(durationMs);
	const file = new Uint8Array(HEADER_BYTES + dataBytes);
	const view = new DataView(file.buffer);
	const ascii = (at: number, text: string) => {
		for (let i = 0; i < text.length; i++) file[at + i] = text.charCodeAt(i);
	};
	ascii(0, "RIFF");
	view.setUint32(4, 36 + dataBytes, true);
	ascii(8, "WAVE");
	ascii(12, "fmt ");
	view.setUint32(16, 16, true); // fmt chunk size (PCM)
	view.setUint16(20, 1, true); // audio format: PCM
	view.setUint16(22, 1, true); // channels: mono
	view.setUint32(24, SAMPLE_RATE, true);
	view.setUint32(28, SAMPLE_RATE * BYTES_PER_SAMPLE, true); // byte rate
	view.setUint16(32, BYTES_PER_SAMPLE, true); // block align
	view.setUint16(34, 16, true); // bits per sample
	ascii(36, "data");
	view.setUint32(40, dataBytes, true);
	file.set(pcm.subarray(0, dataBytes - (dataBytes % BYTES_PER_SAMPLE)), HEADER_BYTES);
	return file;
}

/** The PCM samples of a 16 kHz mono 16-bit WAV, or why it is not one (the tester's upload). */
export function pcmOfWav(file: Uint8Array): { pcm: Uint8Array } | { error: string } {
	const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
	const text = (at: number, length: number) => String.fromCharCode(...file.subarray(at, at + length));
	if (file.byteLength < 12 || text(0, 4) !== "RIFF" || text(8, 4) !== "WAVE")
		return { error: "is not a RIFF/WAVE file" };
	let at = 12;
	let format = false;
	while (at + 8 <= file.byteLength) {
		const id = text(at, 4);
		const size = view.getUint32(at + 4, true);
		const body = at + 8;
		if (id === "fmt ") {
			if (size < 16 || body + 16 > file.byteLength) return { error: "has a short fmt chunk" };
			const [audioFormat, channels, rate, bits] = [
				view.getUint16(body, true),
				view.getUint16(body + 2, true),
				view.getUint32(body + 4, true),
				view.getUint16(body + 14, true),
			];
			if (audioFormat !== 1 || channels !== 1 || rate !== SAMPLE_RATE || bits !== 16)
				return { error: "must be PCM, mono, 16 kHz, 16-bit" };
			format = true;
		} else if (id === "data") {
			if (!format) return { error: "has its data chunk before its fmt chunk" };
			const end = Math.min(body + size, file.byteLength);
			return { pcm: file.slice(body, end - ((end - body) % BYTES_PER_SAMPLE)) };
		}
		at = body + size + (size % 2);
	}
	return { error: "has no data chunk" };
}
