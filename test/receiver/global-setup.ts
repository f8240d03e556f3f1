import type { TestProject } from "vitest/node";
import { startReceiver } from "./notification-receiver.ts";

/** One receiver for the whole run; workerd tests reach it over loopback, like a bot's callback. */
export default async function setup(project: TestProject) {
	const receiver = await startReceiver();
	project.provide("receiverUrl", receiver.url);
	return () => new Promise<void>((resolve) => receiver.server.close(() => resolve()));
}
