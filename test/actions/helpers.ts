import { expect } from "vitest";
import {
	advance,
	type CallNotification,
	callUrl,
	configure,
	createCall,
	received,
	type Tester,
} from "../calls/helpers";
import { json, send } from "../helpers/graph";

/** An established outgoing call; nothing finishes by itself (every step waits an hour until `advance`). */
export async function establishedCall(tester: Tester, calling: Record<string, unknown> = {}, version = "v1.0") {
	await configure(tester, {
		calling: { setupMs: 3_600_000, promptMs: 3_600_000, recordMs: 2000, actionMs: 3_600_000, ...calling },
	});
	const call = await createCall(tester, {}, version);
	await advance(tester, call.id, "established", "audioActive");
	await received(tester, 3);
	return call;
}

export const act = (tester: Tester, callId: string, path: string, body: unknown = {}, version = "v1.0") =>
	send("POST", `${callUrl(callId, version)}/${path}`, body, { token: tester.token });

export async function acted(tester: Tester, callId: string, path: string, body: unknown = {}, version = "v1.0") {
	const response = await act(tester, callId, path, body, version);
	expect(response.status, await response.clone().text()).toBeLessThan(300);
	return { response, operation: (await json(response)) as Record<string, unknown> & { id: string; status: string } };
}

/** The notifications after the call's first three (establishing, established, audio active). */
export const after3 = async (tester: Tester, count: number): Promise<CallNotification[]> =>
	(await received(tester, 3 + count)).slice(3);

export const PROMPT = {
	"@odata.type": "#microsoft.graph.mediaPrompt",
	mediaInfo: { "@odata.type": "#microsoft.graph.mediaInfo", uri: "https://cdn.test/hello.wav", resourceId: "r-1" },
};
