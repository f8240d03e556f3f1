import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { type RunningStub, startStub } from "../e2e/helpers/stub.ts";
import { startReceiver } from "../receiver/notification-receiver.ts";

// What every browser test stands on: Debian's headless Chromium, the stub served on loopback and a real
// webhook receiver, started before a file's tests and stopped after them.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where screenshots are written (test-results/browser). */
export const OUTPUT = join(import.meta.dirname, "..", "..", "test-results", "browser");

export type Harness = {
	browser: Browser;
	stub: RunningStub;
	receiver: Awaited<ReturnType<typeof startReceiver>>;
};

export async function openHarness(): Promise<Harness> {
	if (!existsSync(CHROMIUM))
		throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
	await mkdir(OUTPUT, { recursive: true });
	const opened: Partial<Harness> = {};
	try {
		opened.receiver = await startReceiver();
		opened.stub = await startStub();
		opened.browser = await puppeteer.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
		});
		return opened as Harness;
	} catch (error) {
		await closeHarness(opened);
		throw error;
	}
}

/** Closes what `openHarness` started; any part may be missing when the opening failed half way. */
export async function closeHarness(h: Partial<Harness>): Promise<void> {
	await h.browser?.close();
	await h.stub?.dispose();
	const server = h.receiver?.server;
	await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
