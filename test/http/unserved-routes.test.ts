import { Router } from "itty-router";
import { describe, expect, it } from "vitest";
import type { RouterArgs, StubRequest } from "../../src/http/stub-request";
import { type Route, registerRoutes } from "../../src/routes/route";
import { registerUnserved, UNSERVED_PATHS } from "../../src/routes/unserved";
import { errorOf, ORIGIN, send } from "../helpers/graph";

// Routes Graph documents that the stub does not serve answer as any unknown path does (Graph's "Resource
// not found for the segment"), never 405 as if the action's name were a call's or a participant's id.

const calls = (version: string, collection = "communications") => `${ORIGIN}/${version}/${collection}/calls`;

const UNSERVED: [string, string, string][] = [
	[
		"v1.0 logTeleconferenceDeviceQuality",
		`${calls("v1.0")}/logTeleconferenceDeviceQuality`,
		"logTeleconferenceDeviceQuality",
	],
	[
		"its namespace-qualified form",
		`${calls("v1.0")}/microsoft.graph.logTeleconferenceDeviceQuality`,
		"microsoft.graph.logTeleconferenceDeviceQuality",
	],
	["under /app/calls", `${calls("v1.0", "app")}/logTeleconferenceDeviceQuality`, "logTeleconferenceDeviceQuality"],
	["beta participants/muteAll", `${calls("beta")}/some-call/participants/muteAll`, "muteAll"],
	["v1.0 participants/muteAll", `${calls("v1.0")}/some-call/participants/muteAll`, "muteAll"],
	[
		"beta participants/admitAllFromLobby",
		`${calls("beta")}/some-call/participants/admitAllFromLobby`,
		"admitAllFromLobby",
	],
];

describe("documented routes the stub does not serve", () => {
	it.each(UNSERVED)("%s: 404 naming the segment, for POST and GET alike", async (_, url, segment) => {
		for (const method of ["POST", "GET"]) {
			const response = await send(method, url, method === "POST" ? {} : undefined);
			expect(response.status, `${method} ${url}`).toBe(404);
			expect(response.headers.get("Allow")).toBeNull();
			const { error } = await errorOf(response);
			expect(error.message).toBe(`Resource not found for the segment '${segment}'.`);
		}
	});
});

describe("stopRecording's documented spelling", () => {
	it("is served like stopRecording: microsoft.graph.StopRecording is not an unknown segment", async () => {
		const response = await send("POST", `${calls("beta")}/no-such-call/microsoft.graph.StopRecording`, {});
		// The call does not exist: the action's own answer (8522), not a routing one.
		expect(response.status).toBe(404);
		expect((await errorOf(response)).error.code).toBe("8522");
	});
});

describe("an unserved path the route table comes to serve", () => {
	it("is left to the table's row (muteAll, once built, is not shadowed)", async () => {
		const path = UNSERVED_PATHS.find((one) => one.endsWith("/communications/calls/:callId/participants/muteAll"));
		expect(path).toBeDefined();
		const row: Route = {
			method: "POST",
			path: path ?? "",
			handler: () => new Response("served", { status: 200 }),
			doc: { summary: "muteAll", tag: "Graph: calls", responses: { 200: { description: "ok" } } },
		};
		const router = Router<StubRequest, RouterArgs>();
		registerUnserved(router, [row]);
		registerRoutes(router, [row]);
		const response = await router.fetch(
			new Request(`${ORIGIN}/beta/communications/calls/c-1/participants/muteAll`, { method: "POST" }),
		);
		expect([response.status, await response.text()]).toEqual([200, "served"]);
	});
});
