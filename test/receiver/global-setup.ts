import type { TestProject } from "vitest/node";
import { startKeyServer } from "./key-server.ts";
import { startReceiver } from "./notification-receiver.ts";

/** One receiver and one key server for the whole run; workerd tests reach them over loopback. */
export default async function setup(project: TestProject) {
	const receiver = await startReceiver();
	const keys = await startKeyServer();
	project.provide("receiverUrl", receiver.url);
	project.provide("keyServerUrl", keys.url);
	const close = (server: typeof keys.server) => new Promise<void>((resolve) => server.close(() => resolve()));
	return async () => {
		await Promise.all([close(receiver.server), close(keys.server)]);
	};
}
