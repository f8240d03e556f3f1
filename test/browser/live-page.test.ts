import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStub } from "../e2e/helpers/stub.ts";
import { closeHarness, type Harness, OUTPUT, openHarness } from "./harness.ts";

// The live page in a real browser (Debian's headless Chromium, driven over DevTools by puppeteer-core),
// against the stub served on loopback and a real webhook that fails its first delivery.

const TOKEN = "browser-bot-token";
const HOOK = "/api/calling";

let browser: Browser;
let stub: RunningStub;
let receiver: Harness["receiver"];

beforeAll(async () => {
	({ browser, stub, receiver } = await openHarness());
});
afterAll(() => closeHarness({ browser, stub, receiver }));

const stubFetch = (path: string, init: RequestInit = {}) =>
	fetch(`${stub.base}${path}`, {
		...init,
		headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", ...init.headers },
	});

async function openWithToken(token: string): Promise<Page> {
	const page = await browser.newPage();
	await page.setViewport({ width: 1200, height: 760 });
	await page.goto(`${stub.base}/_stub/`);
	await page.type("#token", token);
	await page.click("#token-form button[type=submit]");
	return page;
}

const text = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent ?? "");

describe("the live page at /_stub/, in headless Chromium", () => {
	it("lists the call, then shows a notification's failed attempt and its retried delivery as they happen", async () => {
		// The webhook answers 503 once, then 202; the operation goes Running a moment after the page watches.
		await fetch(`${receiver.url}/_control${HOOK}`, {
			method: "POST",
			body: JSON.stringify({ failFirst: 1, status: 503 }),
		});
		const config = await stubFetch("/_stub/config", {
			method: "PUT",
			body: JSON.stringify({
				callbackUri: `${receiver.url}${HOOK}`,
				progression: {
					default: [
						{ status: "Running", afterMs: 3000 },
						{ status: "Completed", afterMs: 500 },
					],
				},
			}),
		});
		expect(config.status).toBe(200);
		const created = await stubFetch("/v1.0/communications/calls/browser-call/operations", {
			method: "POST",
			body: JSON.stringify({ "@odata.type": "#microsoft.graph.playPromptOperation", id: "prompt-1" }),
		});
		expect(created.status).toBe(201);

		const page = await openWithToken(TOKEN);
		await page.waitForSelector('#calls li[data-call-id="browser-call"]', { timeout: 10_000 });
		await page.evaluate(() => {
			(window as unknown as { sameDocument: boolean }).sameDocument = true;
		});
		await page.click('#calls li[data-call-id="browser-call"]');
		await page.waitForFunction(() => document.getElementById("status")?.textContent === "live", { timeout: 10_000 });
		expect(await text(page, "#timeline")).toContain("POST /v1.0/communications/calls/browser-call/operations → 201");

		// The first attempt fails: shown with its status and the retry still to come, before the retry is made.
		const pending = await page.waitForFunction(
			() =>
				[...document.querySelectorAll<HTMLElement>("#timeline .notification")].find(
					(n) => n.dataset.state === "pending" && n.textContent?.includes("→ 503"),
				)?.textContent,
			{ timeout: 20_000, polling: "mutation" },
		);
		const failing = String(await pending.jsonValue());
		expect(failing).toMatch(/attempt 1 [\d:.]+ → 503/);
		expect(failing).toContain("next retry");
		expect(failing).not.toContain("attempt 2");
		// Then the retry delivers it, pushed into the same page (no reload).
		await page.waitForFunction(
			() =>
				[...document.querySelectorAll<HTMLElement>("#timeline .notification")].some(
					(n) => n.dataset.state === "delivered" && n.textContent?.includes("→ 503") && n.textContent.includes("→ 202"),
				),
			{ timeout: 20_000 },
		);
		await page.waitForFunction(() => document.getElementById("operations")?.textContent?.includes("completed"), {
			timeout: 20_000,
		});
		expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
		expect(await text(page, "#timeline")).toMatch(/attempt 2 [\d:.]+ → 202/);
		const screenshot = join(OUTPUT, "live-page.png");
		await page.screenshot({ path: screenshot, fullPage: true });
		if (process.env.UPDATE_SCREENSHOT)
			await copyFile(screenshot, join(import.meta.dirname, "..", "..", "docs", "live-page.png"));
		// The token stayed in the tab's session storage only.
		expect(await page.evaluate(() => sessionStorage.getItem("graph-comms-stub.token"))).toBe(TOKEN);
		expect(await page.evaluate(() => localStorage.length)).toBe(0);
		await page.close();
	});

	it("opens a request's two bodies as text (a hostile one too, and the cut marker), and a new call appears pushed", async () => {
		const token = "browser-push-token";
		const post = (callId: string, body: unknown) =>
			fetch(`${stub.base}/v1.0/communications/calls/${callId}/operations`, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify(body),
			});
		const hostile = "<img src=x onerror=window.pwned=1>";
		expect((await post("bodies-call", { clientContext: hostile })).status).toBe(201);
		expect(
			(await post("bodies-call", { "@odata.type": "#microsoft.graph.playPromptOperation", note: "y".repeat(20_000) }))
				.status,
		).toBe(201);

		const page = await browser.newPage();
		await page.setViewport({ width: 1200, height: 760 });
		// Counts the page's reads of the calls list: after the first, a new call must come by push alone.
		await page.evaluateOnNewDocument(() => {
			const counted = window as unknown as { listReads: number };
			counted.listReads = 0;
			const original = window.fetch;
			window.fetch = (input, init) => {
				if (String(input).startsWith("/_stub/calls?") || String(input) === "/_stub/calls") counted.listReads++;
				return original(input, init);
			};
		});
		await page.goto(`${stub.base}/_stub/`);
		await page.type("#token", token);
		await page.click("#token-form button[type=submit]");
		await page.waitForSelector('#calls li[data-call-id="bodies-call"]', { timeout: 10_000 });
		await page.waitForFunction(() => document.getElementById("list-status")?.textContent === "live", {
			timeout: 10_000,
		});
		const reads = await page.evaluate(() => (window as unknown as { listReads: number }).listReads);

		// A new call appears without a reload and without another read of the list.
		const started = Date.now();
		expect((await post("pushed-call", {})).status).toBe(201);
		await page.waitForSelector('#calls li[data-call-id="pushed-call"]', { timeout: 2_000 });
		const appearedMs = Date.now() - started;
		expect(appearedMs).toBeLessThan(2_000);
		expect(await page.evaluate(() => (window as unknown as { listReads: number }).listReads)).toBe(reads);
		expect(await text(page, '#calls li[data-call-id="pushed-call"]')).toContain("1 operation(s)");

		await page.click('#calls li[data-call-id="bodies-call"]');
		await page.waitForFunction(() => document.querySelectorAll("#timeline li.request").length === 2, {
			timeout: 10_000,
		});
		await page.click('#timeline li.request[data-sequence="1"] .line');
		await page.waitForSelector('#timeline li.request[data-sequence="1"] .bodies pre', { timeout: 10_000 });
		const shown = await text(page, '#timeline li.request[data-sequence="1"] .request-body pre');
		expect(shown).toContain(hostile);
		expect(await text(page, '#timeline li.request[data-sequence="1"] .response-body pre')).toContain(hostile);
		expect(await page.$$("#timeline img")).toHaveLength(0);
		expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

		await page.click('#timeline li.request[data-sequence="2"] .line');
		await page.waitForSelector('#timeline li.request[data-sequence="2"] .request-body .cut', { timeout: 10_000 });
		expect(await text(page, '#timeline li.request[data-sequence="2"] .request-body .cut')).toContain("16 KiB");

		// A call that ends leaves the list, pushed too.
		const reset = await fetch(`${stub.base}/_stub/calls/pushed-call`, {
			method: "DELETE",
			headers: { Authorization: `Bearer ${token}` },
		});
		expect(reset.status).toBe(204);
		await page.waitForFunction(() => !document.querySelector('#calls li[data-call-id="pushed-call"]'), {
			timeout: 2_000,
		});
		await page.screenshot({ path: join(OUTPUT, "live-page-bodies.png"), fullPage: true });
		await page.close();
	});

	it("shows the API's 401 as text for a malformed token, and no calls for another tester's token", async () => {
		const malformed = await openWithToken("not a token");
		await malformed.waitForFunction(() => document.getElementById("message")?.textContent?.includes("401"), {
			timeout: 10_000,
		});
		expect(await text(malformed, "#message")).toContain("InvalidAuthenticationToken");
		await malformed.screenshot({ path: join(OUTPUT, "wrong-token.png") });
		await malformed.close();

		const stranger = await openWithToken("someone-elses-token");
		await stranger.waitForFunction(() => document.getElementById("message")?.textContent?.includes("No calls"), {
			timeout: 10_000,
		});
		expect(await stranger.$$("#calls li")).toHaveLength(0);
		await stranger.close();
	});
});
