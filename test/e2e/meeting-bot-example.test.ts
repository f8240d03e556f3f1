import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JournalRequest } from "../../scripts/cli/api.ts";
import type { ReadyLine } from "../../scripts/cli/contract.ts";
import { driver } from "../../scripts/cli/driver.ts";
import { ROOT } from "../../scripts/local-stub.ts";
import { serving } from "./helpers/stub.ts";

// examples/meeting-bot.mjs run as a user runs it, against `npm start` (scripts/serve.ts), over http or
// https as this run serves: once against a scripted meeting this test makes, once making its own. What
// it prints is asserted line by line (ids aside); the docs show the same output.

const TOKEN = "meeting-example-bot";
let server: ChildProcess;
let url = "";

beforeAll(async () => {
	const tls = serving === "https" ? ["--https", "--tls-dir", String(process.env.STUB_TEST_TLS_DIR)] : [];
	server = spawn(process.execPath, [join(ROOT, "scripts", "serve.ts"), "--port", "0", "--memory", "--json", ...tls], {
		cwd: ROOT,
		stdio: ["ignore", "pipe", "pipe"],
	});
	let output = "";
	server.stderr?.on("data", (chunk) => {
		output += chunk;
	});
	const ready = await new Promise<ReadyLine>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`npm start printed no ready line:\n${output}`)), 50_000);
		server.stdout?.on("data", (chunk) => {
			output += chunk;
			const line = output.split("\n").find((l) => l.startsWith("{") && l.endsWith("}"));
			if (!line) return;
			clearTimeout(timer);
			resolve(JSON.parse(line) as ReadyLine);
		});
		server.on("exit", (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
	});
	url = ready.url;
});
afterAll(async () => {
	if (!server || server.exitCode !== null) return;
	const exited = new Promise((resolve) => server.on("exit", resolve));
	server.kill("SIGTERM");
	await exited;
});

/** Runs the example to its end; resolves with its exit code and what it printed. */
function runExample(env: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
	const child = spawn(process.execPath, [join(ROOT, "examples", "meeting-bot.mjs")], {
		cwd: ROOT,
		env: { ...process.env, STUB: url, PORT: "0", TOKEN, ...env },
		stdio: ["ignore", "pipe", "pipe"],
	});
	let output = "";
	child.stdout?.on("data", (chunk) => {
		output += chunk;
	});
	child.stderr?.on("data", (chunk) => {
		output += chunk;
	});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill("SIGKILL");
			reject(new Error(`the example did not finish in 40 s:\n${output}`));
		}, 40_000);
		child.on("exit", (code) => {
			clearTimeout(timer);
			resolve({ code, lines: output.trimEnd().split("\n") });
		});
	});
}

/** The lines the roster and the call's notifications made, in order (headings and the bot's own steps aside). */
const heard = (lines: string[]) => lines.filter((l) => /^ {2}(?!call |updateRecordingStatus)/.test(l));

const person = (key: string, kind: "user" | "guest", name: string) => ({
	key,
	identity: { [kind]: { id: `${key}-id`, displayName: name } },
});

describe("examples/meeting-bot.mjs against npm start", () => {
	it("joins a scripted meeting by joinMeetingId and passcode, maps sourceIds as people come and go, sees the share, leaves", async () => {
		const stub = driver({ url, token: TOKEN, ca: undefined });
		// Alice (audio, video) is in it; the script runs from the bot's joining (however long that takes).
		const made = await stub.createMeeting({
			passcode: "4242",
			subject: "Example sync",
			scriptStartsWhen: "botJoins",
			participants: [
				{ ...person("alice", "user", "Alice"), streams: [{ mediaType: "audio" }, { mediaType: "video" }] },
			],
			script: [
				{ atMs: 3000, action: "join", person: person("bob", "guest", "Bob") },
				{ atMs: 3300, action: "startSharing", key: "bob" },
				{ atMs: 3600, action: "mute", key: "alice" },
				{ atMs: 3900, action: "leave", key: "alice" },
				{ atMs: 4200, action: "leave", key: "bob" },
			],
		});
		const { code, lines } = await runExample({ JOIN_MEETING_ID: String(made.joinMeetingId), PASSCODE: "4242" });
		const output = lines.join("\n");
		expect(code, output).toBe(0);
		expect(lines[0]).toBe(`1. Joins meeting ${made.joinMeetingId} by its joinMeetingId and passcode`);
		expect(lines[1]).toMatch(
			new RegExp(`^ {2}call [0-9a-f-]{36}, chat ${made.chatInfo.threadId.replace(/[.]/g, "\\.")}$`),
		);
		expect(heard(lines), output).toEqual([
			"  heard updated establishing",
			"  heard updated established",
			"  heard updated established",
			"  in the meeting: Alice, Meeting Bot (me)",
			"  sources: 1001 Alice audio, 1002 Alice video, 1003 Meeting Bot (me) audio",
			"  + Bob joined (guest)",
			"  sources: 1001 Alice audio, 1002 Alice video, 1003 Meeting Bot (me) audio, 1004 Bob audio",
			"  Bob shares a screen: sourceId 1005 (subscribe to it to see it)",
			"  sources: 1001 Alice audio, 1002 Alice video, 1003 Meeting Bot (me) audio, 1004 Bob audio, 1005 Bob screen",
			// Alice's mute changes no sourceId: nothing printed
			"  - Alice left",
			"  sources: 1003 Meeting Bot (me) audio, 1004 Bob audio, 1005 Bob screen",
			"  - Bob left",
			"  sources: 1003 Meeting Bot (me) audio",
			"  heard updated terminating",
			"  heard deleted terminated 200/5001",
		]);
		const steps = lines.filter((l) => /^\d\. |^ {2}updateRecordingStatus|^Done/.test(l));
		expect(steps, output).toEqual([
			`1. Joins meeting ${made.joinMeetingId} by its joinMeetingId and passcode`,
			"2. Sets its recording status",
			"  updateRecordingStatus recording: updateRecordingStatusOperation completed",
			"3. Follows the roster until it is alone",
			"4. Leaves (alone)",
			"  updateRecordingStatus notRecording: updateRecordingStatusOperation completed",
			"Done.",
		]);
		// The bot left: its call ended by its own hang-up, and the meeting has no call and no one in it.
		const meeting = await stub.meeting(made).view();
		expect(meeting?.participants).toEqual([]);
		expect(meeting?.script).toEqual({ done: 5, pending: 0, skipped: [] });
		const recorded = (await stub.requests(undefined, { route: "updateRecordingStatus" })) as JournalRequest[];
		expect(recorded.map((r) => [r.status, r.requestBody])).toEqual([
			[200, { status: "notRecording" }],
			[200, { status: "recording", clientContext: "meeting-bot" }],
		]);
		expect(await stub.requests(undefined, { route: "hangUp", status: 204, count: true })).toBe(1);
	});

	it("on its own makes a scripted meeting and prints the walkthrough's output", async () => {
		const { code, lines } = await runExample({});
		const output = lines.join("\n");
		expect(code, output).toBe(0);
		expect(lines.filter((l) => /^\d\. /.test(l))).toEqual([
			"0. A meeting to join (a stub control): Alice is in it; Bob joins, Alice shares, both leave",
			expect.stringMatching(/^1\. Joins meeting \d{12} by its joinMeetingId and passcode$/),
			"2. Sets its recording status",
			"3. Follows the roster until it is alone",
			"4. Leaves (alone)",
		]);
		expect(heard(lines), output).toEqual([
			"  heard updated establishing",
			"  heard updated established",
			"  heard updated established",
			"  in the meeting: Alice, Meeting Bot (me)",
			"  sources: 1001 Alice audio, 1002 Alice video, 1003 Meeting Bot (me) audio",
			"  + Bob joined (guest)",
			"  sources: 1001 Alice audio, 1002 Alice video, 1003 Meeting Bot (me) audio, 1004 Bob audio",
			"  Alice shares a screen: sourceId 1005 (subscribe to it to see it)",
			"  sources: 1001 Alice audio, 1002 Alice video, 1003 Meeting Bot (me) audio, 1004 Bob audio, 1005 Alice screen",
			"  Alice stopped sharing (sourceId 1005)",
			"  sources: 1001 Alice audio, 1002 Alice video, 1003 Meeting Bot (me) audio, 1004 Bob audio, 1005 Alice screen (off)",
			"  - Bob left",
			"  sources: 1001 Alice audio, 1002 Alice video, 1003 Meeting Bot (me) audio, 1005 Alice screen (off)",
			"  - Alice left",
			"  sources: 1003 Meeting Bot (me) audio",
			"  heard updated terminating",
			"  heard deleted terminated 200/5001",
		]);
		expect(lines.at(-1)).toBe("Done.");
	});
});
