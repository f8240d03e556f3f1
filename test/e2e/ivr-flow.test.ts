import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Bot, type Heard, startBot } from "./helpers/bot.ts";

// An IVR, as a real bot drives it: the official Graph JS client for its requests, a loopback webhook for
// what it hears. Every step is asserted from the notifications, in the order they arrived.

const TOKEN = "ivr-flow-token";
let bot: Bot;

const prompt = (name: string) => ({
	"@odata.type": "#microsoft.graph.mediaPrompt",
	mediaInfo: { "@odata.type": "#microsoft.graph.mediaInfo", uri: `https://cdn.example/${name}.wav` },
});

/** How far the flow has read what the webhook heard: each step looks only after the one before. */
let cursor = 0;

/** Waits for the next notification after the cursor that matches, and moves the cursor past it. */
async function next(matches: (n: Heard) => boolean): Promise<Heard> {
	let found = -1;
	await vi.waitFor(
		() => {
			found = bot.heard.findIndex((n, i) => i >= cursor && matches(n));
			expect(found).toBeGreaterThanOrEqual(0);
		},
		{ timeout: 15_000, interval: 25 },
	);
	cursor = found + 1;
	return bot.heard[found] as Heard;
}

beforeAll(async () => {
	bot = await startBot(TOKEN, { setupMs: 100, promptMs: 200, recordMs: 30_000 });
});
afterAll(() => bot?.dispose());

describe("an IVR bot against the served stub", () => {
	it("answers, subscribes to tones, plays, records until #, downloads the WAV, cancels a prompt, hangs up", async () => {
		const started = await bot.post("/_stub/incoming-calls", { callbackUri: bot.callbackUri });
		expect(started.status).toBe(201);
		const { id } = (await started.json()) as { id: string };
		const calls = bot.sdk();
		const about = (what: string) => (n: Heard) => n.resourceUrl.startsWith(`/communications/calls/${id}${what}`);
		const opDone = (opId: string) => (n: Heard) => n.changeType === "deleted" && n.resourceData.id === opId;

		// Answered on `created` by the webhook; established with audio.
		await next((n) => about("")(n) && n.resourceData.mediaState?.audio === "active");

		const subscribed = await calls.api(`/communications/calls/${id}/subscribeToTone`).post({ clientContext: "ivr" });
		expect(subscribed).toMatchObject({
			"@odata.type": "#microsoft.graph.subscribeToToneOperation",
			status: "completed",
		});

		const welcome = await calls.api(`/communications/calls/${id}/playPrompt`).post({ prompts: [prompt("welcome")] });
		expect(welcome.status).toBe("running");
		const played = await next(opDone(welcome.id));
		// A v1.0 bot: playPromptOperation and recordOperation declare no completionReason there; resultInfo says it.
		expect(played.resourceData).toMatchObject({ status: "completed", resultInfo: { code: 200, subcode: 0 } });
		expect(played.resourceData).not.toHaveProperty("completionReason");

		const record = await calls
			.api(`/communications/calls/${id}/recordResponse`)
			.post({ stopTones: ["#"], maxRecordDurationInSeconds: 30, bargeInAllowed: false });
		expect(record).toMatchObject({ status: "running", recordingLocation: null });
		// The caller presses 1, then # (each 300 ms after the one before).
		expect((await bot.post(`/_stub/calls/${id}/tones`, { tones: ["tone1", "pound"], delayMs: 300 })).status).toBe(202);
		let tone = await next((n) => n.resourceData.toneInfo !== undefined);
		expect(tone.resourceData.toneInfo).toMatchObject({ sequenceId: 1, tone: "tone1" });
		tone = await next((n) => n.resourceData.toneInfo !== undefined);
		expect(tone.resourceData.toneInfo).toMatchObject({ sequenceId: 2, tone: "pound" });
		const recorded = await next(opDone(record.id));
		expect(recorded.resourceData).toMatchObject({ status: "completed", resultInfo: { code: 200, subcode: 0 } });

		const wav = await fetch(String(recorded.resourceData.recordingLocation), {
			headers: { Authorization: `Bearer ${recorded.resourceData.recordingAccessToken}` },
		});
		expect(wav.status).toBe(200);
		expect(wav.headers.get("content-type")).toBe("audio/wav");
		const bytes = Buffer.from(await wav.arrayBuffer());
		expect(bytes.toString("ascii", 0, 4)).toBe("RIFF");
		expect([bytes.readUInt16LE(22), bytes.readUInt32LE(24), bytes.readUInt16LE(34)]).toEqual([1, 16_000, 16]);
		const dataBytes = bytes.readUInt32LE(40);
		expect(bytes.byteLength).toBe(44 + dataBytes);
		const recordedMs = dataBytes / 32;
		expect(recordedMs).toBeGreaterThanOrEqual(500); // # came 600 ms after the recording began
		expect(recordedMs).toBeLessThan(30_000);
		const refused = await fetch(String(recorded.resourceData.recordingLocation), {
			headers: { Authorization: "Bearer not-the-token" },
		});
		expect(refused.status).toBe(401);

		const long = await calls
			.api(`/communications/calls/${id}/playPrompt`)
			.post({ prompts: Array.from({ length: 20 }, (_, i) => prompt(`menu-${i}`)) });
		const cancel = await calls.api(`/communications/calls/${id}/cancelMediaProcessing`).post({});
		expect(cancel.status).toBe("completed");
		const cancelled = await next(opDone(long.id));
		expect(cancelled.resourceData).toMatchObject({
			status: "failed",
			resultInfo: { code: 400, subcode: 8508, message: "Action failed, the operation was cancelled." },
		});

		await calls.api(`/communications/calls/${id}`).delete();
		const ended = await next((n) => about("")(n) && n.changeType === "deleted");
		expect(ended.resourceData.state).toBe("terminated");
	});
});
