import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStub } from "../e2e/helpers/stub.ts";
import { closeHarness, type Harness, OUTPUT, openHarness } from "./harness.ts";

// The live page's meeting panel in headless Chromium, against the stub on loopback: a bot's call joins a
// meeting, the page watches the call, and the meeting's roster changes appear pushed, in order.

const TOKEN = "browser-meeting-token";

let browser: Browser;
let stub: RunningStub;
let receiver: Harness["receiver"];

beforeAll(async () => {
	({ browser, stub, receiver } = await openHarness());
});
afterAll(() => closeHarness({ browser, stub, receiver }));

async function stubSend(method: string, path: string, body?: unknown) {
	const response = await fetch(`${stub.base}${path}`, {
		method,
		headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
	const text = await response.text();
	return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const person = (name: string, streams: unknown[]) => ({
	key: name,
	identity: { user: { id: `${name}-id`, displayName: name } },
	streams,
});

describe("the live page's meeting panel, in headless Chromium", () => {
	it("shows the roster of a call's meeting, then Bob join, Alice share, Bob leave, pushed in order", async () => {
		expect((await stubSend("PUT", "/_stub/config", { callbackUri: `${receiver.url}/api/meeting-bot` })).status).toBe(
			200,
		);
		const meeting = await stubSend("POST", "/_stub/meetings", {
			subject: "Design review",
			participants: [person("Alice", [{ mediaType: "audio", sourceId: "501" }])],
		});
		expect(meeting.status).toBe(201);
		const meetingId = String(meeting.body.id);
		const joined = await stubSend("POST", "/v1.0/communications/calls", {
			"@odata.type": "#microsoft.graph.call",
			callbackUri: `${receiver.url}/api/meeting-bot`,
			requestedModalities: ["audio"],
			mediaConfig: { "@odata.type": "#microsoft.graph.serviceHostedMediaConfig" },
			tenantId: "tenant-1",
			meetingInfo: {
				"@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo",
				joinMeetingId: meeting.body.joinMeetingId,
				passcode: null,
			},
		});
		expect(joined.status).toBe(201);
		const callId = String(joined.body.id);

		const page = await browser.newPage();
		await page.setViewport({ width: 1200, height: 900 });
		// Counts the page's reads of meetings: after the socket opens, every change must come by push alone.
		await page.evaluateOnNewDocument(() => {
			const counted = window as unknown as { meetingReads: number };
			counted.meetingReads = 0;
			const original = window.fetch;
			window.fetch = (input, init) => {
				if (String(input).includes("/_stub/meetings")) counted.meetingReads++;
				return original(input, init);
			};
		});
		await page.goto(`${stub.base}/_stub/`);
		await page.type("#token", TOKEN);
		await page.click("#token-form button[type=submit]");
		await page.waitForSelector(`#calls li[data-call-id="${callId}"]`, { timeout: 10_000 });
		await page.click(`#calls li[data-call-id="${callId}"]`);
		// The call joined a meeting: its panel opens by itself, live, with Alice and the bot in the roster.
		await page.waitForFunction(() => document.getElementById("meeting-status")?.textContent === "live", {
			timeout: 10_000,
		});
		await page.waitForFunction(() => document.querySelectorAll("#roster tbody tr").length === 2, { timeout: 10_000 });
		expect(await page.$eval("#meeting-title", (e) => e.textContent)).toContain(`Meeting ${meetingId} — Design review`);
		expect(await page.$eval("#meeting-calls", (e) => e.textContent)).toContain(callId);
		await page.evaluate(() => {
			(window as unknown as { sameDocument: boolean }).sameDocument = true;
		});
		const eventsShown = () =>
			page.$$eval("#roster-history li.roster-event", (items) => items.map((item) => item.textContent ?? ""));
		const before = (await eventsShown()).length;
		// What the meeting sent first is history: only what comes after is stamped as pushed.
		expect((await eventsShown()).filter((line) => line.includes("pushed"))).toEqual([]);
		const waitForEvents = (count: number) =>
			page.waitForFunction(
				(n: number) => document.querySelectorAll("#roster-history li.roster-event").length >= n,
				{ timeout: 10_000 },
				count,
			);

		const bob = await stubSend(
			"POST",
			`/_stub/meetings/${meetingId}/participants`,
			person("Bob", [
				{ mediaType: "audio", sourceId: "601" },
				{ mediaType: "video", sourceId: "602" },
			]),
		);
		expect(bob.status).toBe(201);
		await waitForEvents(before + 1);
		expect((await stubSend("POST", `/_stub/meetings/${meetingId}/participants/Alice/startSharing`)).status).toBe(200);
		await waitForEvents(before + 2);
		expect((await stubSend("DELETE", `/_stub/meetings/${meetingId}/participants/Bob`)).status).toBe(204);
		await waitForEvents(before + 3);

		const events = await eventsShown();
		expect(events).toHaveLength(before + 3);
		const [joinLine, shareLine, leaveLine] = events.slice(before);
		const seqOf = (line = "") => Number(/^#(\d+)/.exec(line)?.[1]);
		expect(joinLine).toMatch(/^#\d+ Bob joined — audio 601 sendReceive, video 602 sendReceive · pushed [\d:.]+$/);
		expect(shareLine).toMatch(
			/^#\d+ Alice started sharing their screen — videoBasedScreenSharing \d+ sendOnly · pushed [\d:.]+$/,
		);
		expect(leaveLine).toMatch(/^#\d+ Bob left · pushed [\d:.]+$/);
		expect([seqOf(shareLine) - seqOf(joinLine), seqOf(leaveLine) - seqOf(shareLine)]).toEqual([1, 1]);

		// The roster now: Alice sharing (with her screen's sourceId), the bot; Bob gone.
		const rows = await page.$$eval("#roster tbody tr", (trs) => trs.map((tr) => tr.textContent ?? ""));
		expect(rows).toHaveLength(2);
		const sharedSource = /videoBasedScreenSharing (\d+)/.exec(shareLine ?? "")?.[1];
		expect(rows[0]).toContain("sharing");
		expect(rows[0]).toContain(`audio 501 sendReceive · videoBasedScreenSharing ${sharedSource} sendOnly`);
		expect(rows.join("\n")).not.toContain("Bob");
		expect(await page.$eval("#meeting-title", (e) => e.textContent)).toContain(`roster #${seqOf(leaveLine)}`);
		expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
		expect(await page.evaluate(() => (window as unknown as { meetingReads: number }).meetingReads)).toBe(0);
		const screenshot = join(OUTPUT, "live-meeting.png");
		await page.screenshot({ path: screenshot, fullPage: true });
		if (process.env.UPDATE_SCREENSHOT)
			await copyFile(screenshot, join(import.meta.dirname, "..", "..", "docs", "live-meeting.png"));
		await page.close();
	});
});
