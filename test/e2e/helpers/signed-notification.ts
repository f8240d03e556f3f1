import type { startReceiver } from "../../receiver/notification-receiver.ts";
import { operationsUrl, postJson, type RunningStub } from "./stub.ts";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * Configures `callId` to notify `receiver` at `hook` as `botAppId` of `tenantId`, makes it one operation
 * that runs at once, and answers the Authorization header of the first notification that arrives.
 */
export async function firstNotificationAuthorization(
	stub: RunningStub,
	receiver: Receiver,
	ids: { callId: string; hook: string; botAppId: string; tenantId: string },
	timeoutMs = 20_000,
): Promise<string> {
	const config = await fetch(`${stub.base}/_stub/calls/${ids.callId}/config`, {
		method: "PUT",
		headers: { Authorization: "Bearer e2e-token", "Content-Type": "application/json" },
		body: JSON.stringify({
			callbackUri: `${receiver.url}${ids.hook}`,
			botAppId: ids.botAppId,
			tenantId: ids.tenantId,
			progression: { default: [{ status: "Running", afterMs: 0 }] },
		}),
	});
	if (config.status !== 200) throw new Error(`configuring ${ids.callId}: HTTP ${config.status}`);
	const created = await postJson(operationsUrl(stub.base, ids.callId), { id: "op" });
	if (created.status !== 201) throw new Error(`creating an operation on ${ids.callId}: HTTP ${created.status}`);
	for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
		const [first] = receiver.received.get(ids.hook) ?? [];
		if (first) return first.headers.authorization ?? "";
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`no notification reached ${ids.hook}`);
}
