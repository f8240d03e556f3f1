import { describe, expect, it } from "vitest";
import { pcmOfWav, wavFile } from "../../src/objects/media/wav";

const field = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const text = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

describe("wavFile", () => {
	it("writes a 16 kHz mono 16-bit PCM header and exactly the recorded length of data", () => {
		const wav = wavFile(new Uint8Array(0), 1250);
		const view = field(wav);
		expect([text(wav, 0), text(wav, 8), text(wav, 12), text(wav, 36)]).toEqual(["RIFF", "WAVE", "fmt ", "data"]);
		expect(view.getUint32(4, true)).toBe(36 + 40_000);
		expect(view.getUint16(20, true)).toBe(1); // PCM
		expect(view.getUint16(22, true)).toBe(1); // mono
		expect(view.getUint32(24, true)).toBe(16_000);
		expect(view.getUint32(28, true)).toBe(32_000);
		expect(view.getUint16(32, true)).toBe(2);
		expect(view.getUint16(34, true)).toBe(16);
		expect(view.getUint32(40, true)).toBe(40_000); // 1.25 s × 16000 samples × 2 bytes
		expect(wav.byteLength).toBe(44 + 40_000);
		expect(wav.subarray(44).every((b) => b === 0)).toBe(true);
	});

	it("puts the given PCM first, cut to length, then silence; and reads back what it wrote", () => {
		const pcm = Uint8Array.from({ length: 100 }, (_, i) => i + 1);
		const wav = wavFile(pcm, 2);
		expect(wav.byteLength).toBe(44 + 64);
		expect([...wav.subarray(44)]).toEqual([...pcm.subarray(0, 64)]);
		const longer = wavFile(pcm, 10);
		expect([...longer.subarray(44, 144)]).toEqual([...pcm]);
		expect(longer.subarray(144).every((b) => b === 0)).toBe(true);
		expect(pcmOfWav(longer)).toEqual({ pcm: longer.subarray(44) });
	});

	it("refuses what is not 16 kHz mono 16-bit PCM WAV", () => {
		expect(pcmOfWav(new TextEncoder().encode("not a wav at all"))).toHaveProperty("error");
		const stereo = wavFile(new Uint8Array(0), 10);
		field(stereo).setUint16(22, 2, true);
		expect(pcmOfWav(stereo)).toEqual({ error: "must be PCM, mono, 16 kHz, 16-bit" });
	});
});
