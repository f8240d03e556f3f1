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

describe("beta-only participant actions on v1.0", () => {
	it.each(["muteAll", "admitAllFromLobby", "p-1/admitFromLobby", "p-1/removeFromLobby"])(
		"participants/%s: 404 naming the segment, as any beta-only action on v1.0",
		async (path) => {
			const response = await send("POST", `${calls("v1.0")}/some-call/participants/${path}`, {});
			expect(response.status).toBe(404);
			const { error } = await errorOf(response);
			expect(error.message).toBe(`Resource not found for the segment '${path.split("/").at(-1)}'.`);
		},
	);
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
	it("is left to the table's row (logTeleconferenceDeviceQuality, were it built, would not be shadowed)", async () => {
		const path = UNSERVED_PATHS.find((one) => one.endsWith("/communications/calls/logTeleconferenceDeviceQuality"));
		expect(path).toBeDefined();
		const row: Route = {
			method: "POST",
			path: path ?? "",
			handler: () => new Response("served", { status: 200 }),
			doc: {
				summary: "logTeleconferenceDeviceQuality",
				tag: "Graph: calls",
				responses: { 200: { description: "ok" } },
			},
		};
		const router = Router<StubRequest, RouterArgs>();
		registerUnserved(router, [row]);
		registerRoutes(router, [row]);
		const response = await router.fetch(
			new Request(`${ORIGIN}/v1.0/communications/calls/logTeleconferenceDeviceQuality`, { method: "POST" }),
		);
		expect([response.status, await response.text()]).toEqual([200, "served"]);
	});
});
