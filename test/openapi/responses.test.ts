import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callsUrl, configure, createCall, newTester, SERVICE_HOSTED, startIncoming } from "../calls/helpers";
import { ORIGIN, operationsUrl } from "../helpers/graph";
import { expectConforms, sendChecked } from "./conforms";

// Real responses of every route family, each checked against the document (status and body schema).

const withToken = (token: string, body?: unknown): RequestInit => ({
	headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
	...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

describe("responses conform to the OpenAPI document", () => {
	it("operations: create, list (paged, counted), get, $count, patch, delete, and their errors", async () => {
		const token = "openapi-operations";
		const url = operationsUrl("conform-ops", "v1.0");
		const created = await sendChecked("POST", url, withToken(token, { clientContext: "c1" }));
		expect(created.status).toBe(201);
		const { id } = (await created.json()) as { id: string };
		await sendChecked(
			"POST",
			url,
			withToken(token, { "@odata.type": "#microsoft.graph.playPromptOperation", status: "Running" }),
		);
		expect((await sendChecked("GET", `${url}?$top=1&$count=true`, withToken(token))).status).toBe(200);
		expect((await sendChecked("GET", `${url}/${id}`, withToken(token))).status).toBe(200);
		expect((await sendChecked("GET", `${url}/$count`, withToken(token))).status).toBe(200);
		expect((await sendChecked("PATCH", `${url}/${id}`, withToken(token, { status: "Completed" }))).status).toBe(200);
		expect((await sendChecked("DELETE", `${url}/${id}`, withToken(token))).status).toBe(204);
		expect((await sendChecked("GET", `${url}/${id}`, withToken(token))).status).toBe(404);
		expect((await sendChecked("POST", url, withToken(token, { status: "Nope" }))).status).toBe(400);
		expect((await sendChecked("GET", url)).status).toBe(401);
	});

	it("calls: create, get, keepAlive, hang up; incoming, answer, reject, far hang-up", async () => {
		const tester = newTester("conform");
		expect(
			(await sendChecked("PUT", `${ORIGIN}/_stub/config`, withToken(tester.token, { calling: { setupMs: 3_600_000 } })))
				.status,
		).toBe(200);
		const call = await createCall(tester);
		const callUrl = `${callsUrl()}/${call.id}`;
		expect((await sendChecked("GET", callUrl, withToken(tester.token))).status).toBe(200);
		expect((await sendChecked("POST", `${callUrl}/keepAlive`, withToken(tester.token))).status).toBe(200);
		expect((await sendChecked("DELETE", callUrl, withToken(tester.token))).status).toBe(204);

		const answered = await sendChecked(
			"POST",
			`${ORIGIN}/_stub/incoming-calls`,
			withToken(tester.token, { callbackUri: tester.callbackUri }),
		);
		expect(answered.status).toBe(201);
		const incoming = (await answered.json()) as { id: string };
		const answer = { callbackUri: tester.callbackUri, mediaConfig: SERVICE_HOSTED };
		const answerUrl = `${ORIGIN}/v1.0/communications/calls/${incoming.id}/microsoft.graph.answer`;
		expect((await sendChecked("POST", answerUrl, withToken(tester.token, answer))).status).toBe(202);
		expect(
			(await sendChecked("POST", `${ORIGIN}/_stub/calls/${incoming.id}/hangup`, withToken(tester.token))).status,
		).toBe(202);

		const rejected = await startIncoming(tester);
		const rejectUrl = `${ORIGIN}/beta/app/calls/${rejected.id}/reject`;
		expect((await sendChecked("POST", rejectUrl, withToken(tester.token, { reason: "busy" }))).status).toBe(202);
		expect((await sendChecked("POST", `${callsUrl()}`, withToken(tester.token, { targets: [] }))).status).toBe(400);
	});

	it("stub controls: configuration, journals, call list, resets", async () => {
		const tester = newTester("conform-controls");
		await configure(tester);
		const call = await createCall(tester);
		const base = `${ORIGIN}/_stub/calls/${call.id}`;
		const auth = withToken(tester.token);
		for (const path of ["/_stub/config", "/_stub/calls", `/_stub/calls/${call.id}/config`]) {
			expect((await sendChecked("GET", `${ORIGIN}${path}`, auth)).status).toBe(200);
		}
		expect(
			(
				await sendChecked(
					"PUT",
					`${base}/config`,
					withToken(tester.token, { callbackUri: tester.callbackUri, callbackToken: "secret" }),
				)
			).status,
		).toBe(200);
		expect((await sendChecked("GET", `${base}/notifications`, auth)).status).toBe(200);
		expect((await sendChecked("GET", `${base}/journal`, auth)).status).toBe(200);
		expect((await sendChecked("DELETE", `${base}/config`, auth)).status).toBe(200);
		expect((await sendChecked("PUT", `${ORIGIN}/_stub/config`, withToken(tester.token, { nonsense: 1 }))).status).toBe(
			400,
		);
		expect((await sendChecked("DELETE", base, auth)).status).toBe(204);
		expect((await sendChecked("DELETE", `${ORIGIN}/_stub/calls`, auth)).status).toBe(204);
		expect((await sendChecked("DELETE", `${ORIGIN}/_stub/config`, auth)).status).toBe(200);
	});

	it("public: health, OpenID metadata, keys, this document, the live page", async () => {
		for (const path of [
			"/_stub/health",
			"/_stub/.well-known/openid-configuration",
			"/_stub/.well-known/keys",
			"/_stub/openapi.json",
			"/_stub/",
		])
			expect((await sendChecked("GET", `${ORIGIN}${path}`)).status, path).toBe(200);
	});

	it("a 405 is Graph's envelope too", async () => {
		const response = await exports.default.fetch(`${ORIGIN}/_stub/calls`, { method: "POST", ...withToken("x") });
		expect(response.status).toBe(405);
		await expectConforms("DELETE", `${ORIGIN}/_stub/calls`, response); // read as any documented route's error
	});
});
