import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStub, startStub } from "./helpers/stub.ts";

// The compliance-recording example (examples/compliance-bot.mjs), run as a user runs it against the
// served stub: the observed call starts, the bot is rung for the observed person, answers with app-hosted
// media, reads both people's streams in the roster, reports `recording`, and its call ends when the
// observed call hangs up, then reads its call's record (404 until the record's delay has passed). The
// example throws on anything unexpected; its output is checked line by line.

const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "compliance-bot.mjs");
let stub: RunningStub;

const freePort = () =>
	new Promise<number>((resolve, reject) => {
		const server = createServer().listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() =>
				typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
			);
		});
	});

beforeAll(async () => {
	stub = await startStub();
});
afterAll(() => stub?.dispose());

describe("the compliance-recording example against the served stub", () => {
	it("is rung for Alice, answers app-hosted, sees both streams, records, ends when Alice hangs up, reads the record", async () => {
		const env = { ...process.env, STUB: stub.base, PORT: String(await freePort()) };
		const { stdout } = await promisify(execFile)(process.execPath, [EXAMPLE], { env, timeout: 30_000 });
		const lines = stdout.split("\n").map((line) => line.trim());
		expect(lines).toContain("2. The bot is rung for the observed participant");
		expect(lines.some((line) => /^observedParticipantId [0-9a-f-]{36} is Alice$/.test(line))).toBe(true);
		expect(lines).toContain("meetingInfo #microsoft.graph.tokenMeetingInfo, inviteReasons PolicyBasedRecording");
		expect(lines.some((line) => /^Alice +audio\/sendReceive\/\d+ video\/sendReceive\/\d+$/.test(line))).toBe(true);
		expect(lines.some((line) => /^Bob +audio\/sendReceive\/\d+$/.test(line))).toBe(true);
		expect(lines.some((line) => /^Calling Bot +audio\/receiveOnly\/\d+$/.test(line))).toBe(true);
		expect(lines).toContain("#microsoft.graph.updateRecordingStatusOperation completed");
		expect(lines).toContain("the observed call sees its recorder joined, recording");
		expect(lines).toContain("the bot's call ended 200/5002: The conversation has ended. DiagCode: 0#5002.@");
		// The record of the bot's call: a group call (the observed call is a meeting to the bot), audio only
		// (what the bot accepted), a session and a segment per participant, from established to ended.
		const record = lines.slice(
			lines.indexOf("6. Reads the call's record (its id is the callChainId the invite carried)"),
		);
		expect(record[1]).toBe("groupCall, audio");
		// Everyone the bot's call saw, Bob too, though he had left before the call ended.
		expect(record[2]).toBe("participants: Alice, Calling Bot, Bob");
		const counted = /^(\d+) sessions, (\d+) segments$/.exec(record[3] ?? "");
		expect(counted?.[1]).toBe(String(record[2]?.split(", ").length));
		expect(counted?.[2]).toBe(counted?.[1]);
		const times = /^(\S+) to (\S+)$/.exec(record[4] ?? "");
		expect(Date.parse(times?.[2] ?? "")).toBeGreaterThanOrEqual(Date.parse(times?.[1] ?? ""));
		expect(Date.parse(times?.[1] ?? "")).toBeGreaterThan(Date.now() - 60_000);
		expect(lines.at(-2)).toBe("Done.");
	});
});
