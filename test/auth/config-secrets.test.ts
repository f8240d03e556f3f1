import { describe, expect, it } from "vitest";
import { callbackRefusal } from "../../src/schema/stub-config";
import { create, errorOf, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { fastForward, receivedAt, receiverUrl } from "../simulation/helpers";
import { sendWith } from "./helpers";

const TOKEN = "sim-token";
const SECRET = "bot-secret-value-7f3a";
const SCRIPT = [{ status: "Completed", afterMs: 1_000_000 }];

const putCall = (callId: string, config: unknown) =>
	send("PUT", `${ORIGIN}/_stub/calls/${callId}/config`, config, { token: TOKEN });

describe("callbackToken is write-only", () => {
	it("is never in a response: the PUT, the call's own/inherited/effective view, the namespace default", async () => {
		const callId = uniqueCallId();
		const hook = `/secret-${callId}`;
		const put = await putCall(callId, { callbackUri: `${receiverUrl()}${hook}`, callbackToken: SECRET });
		const putText = await put.text();
		expect(put.status).toBe(200);
		expect(putText).not.toContain(SECRET);
		expect(JSON.parse(putText)).toMatchObject({
			own: { callbackTokenSet: true },
			effective: { callbackTokenSet: true },
		});

		const namespaceToken = "ns-secret-value-0b9c";
		const ns = await send("PUT", `${ORIGIN}/_stub/config`, { callbackToken: namespaceToken }, { token: TOKEN });
		const nsText = await ns.text();
		expect(nsText).not.toContain(namespaceToken);
		expect(JSON.parse(nsText)).toEqual({ config: { callbackTokenSet: true } });
		const nsGet = await (await send("GET", `${ORIGIN}/_stub/config`, undefined, { token: TOKEN })).text();
		expect(nsGet).not.toContain(namespaceToken);

		await create(callId, {}, { token: TOKEN });
		const view = await (
			await send("GET", `${ORIGIN}/_stub/calls/${callId}/config`, undefined, { token: TOKEN })
		).text();
		expect(view).not.toContain(SECRET);
		expect(view).not.toContain(namespaceToken);
		expect(JSON.parse(view)).toMatchObject({
			own: { callbackTokenSet: true },
			inherited: { callbackTokenSet: true },
			effective: { callbackTokenSet: true },
		});
		await send("DELETE", `${ORIGIN}/_stub/config`, undefined, { token: TOKEN });
	});

	it("still drives delivery: the bot receives it as the bearer", async () => {
		const callId = uniqueCallId();
		const hook = `/secret-delivery-${callId}`;
		const config = { callbackUri: `${receiverUrl()}${hook}`, callbackToken: SECRET, progression: { default: SCRIPT } };
		expect((await putCall(callId, config)).status).toBe(200);
		await create(callId, {}, { token: TOKEN });
		await fastForward(callId, TOKEN);
		const [received] = await receivedAt(hook);
		expect(received?.headers.authorization).toBe(`Bearer ${SECRET}`);
		const journal = await (
			await send("GET", `${ORIGIN}/_stub/calls/${callId}/notifications`, undefined, { token: TOKEN })
		).text();
		expect(journal).not.toContain(SECRET);
	});

	it.each([
		["a newline", "abc\ndef"],
		["a NUL", "abc\u0000def"],
		["a space", "abc def"],
		["a non-ASCII letter", "abcé"],
		["nothing", ""],
	])("refuses a token with %s at PUT time, naming the field", async (_, token) => {
		const response = await putCall(uniqueCallId(), { callbackToken: token });
		expect(response.status).toBe(400);
		const { error } = await errorOf(response);
		expect(error.details?.map((d) => d.target)).toEqual(["callbackToken"]);
	});
});

describe("callbackUri", () => {
	it.each([["not a url"], [""], ["ftp://127.0.0.1/x"], ["//127.0.0.1/x"], ["http://user:pw@127.0.0.1/x"]])(
		"refuses %j with 400 naming the field, on the call and the namespace",
		async (callbackUri) => {
			for (const url of [`${ORIGIN}/_stub/calls/${uniqueCallId()}/config`, `${ORIGIN}/_stub/config`]) {
				const response = await send("PUT", url, { callbackUri }, { token: TOKEN });
				expect(response.status).toBe(400);
				expect((await errorOf(response)).error.details?.map((d) => d.target)).toEqual(["callbackUri"]);
			}
		},
	);

	const local = { local: true, callbackHosts: [] };
	const deployed = (hosts: string[]) => ({ local: false, callbackHosts: hosts });

	it.each([
		["http://127.0.0.1:3978/api/calls", local, undefined],
		["https://localhost/api/calls", local, undefined],
		["http://[::1]:80/x", local, undefined],
		["https://bot.example.com/x", local, "CALLBACK_HOSTS"],
		["http://bot.example.com/x", { local: true, callbackHosts: ["bot.example.com"] }, "must be https"],
		["https://bot.example.com/x", { local: true, callbackHosts: ["bot.example.com"] }, undefined],
		["https://bot.example.com/x", deployed([]), "CALLBACK_HOSTS setting is empty"],
		["http://127.0.0.1/x", deployed([]), "must be https"],
		["https://127.0.0.1/x", deployed([]), "CALLBACK_HOSTS setting is empty"],
		["https://bot.example.com/x", deployed(["bot.example.com"]), undefined],
		["https://BOT.example.com/x", deployed(["bot.example.com"]), undefined],
		["https://evil.com/x", deployed(["bot.example.com"]), "not in this deployment's CALLBACK_HOSTS"],
		["https://a.bots.example.com/x", deployed([".bots.example.com"]), undefined],
		["https://bots.example.com/x", deployed([".bots.example.com"]), "not in"],
		["https://evilbots.example.com/x", deployed([".bots.example.com"]), "not in"],
		["https://bots.example.com.evil.net/x", deployed([".bots.example.com"]), "not in"],
	])("%s under %j: %s", (uri, policy, refusal) => {
		const answer = callbackRefusal(uri, policy);
		if (refusal === undefined) expect(answer).toBeUndefined();
		else expect(answer).toContain(refusal);
	});

	it("deployed with an empty CALLBACK_HOSTS, no callback is allowed (400 naming the setting)", async () => {
		const response = await sendWith({ SERVED_FROM: "" }, "PUT", `${ORIGIN}/_stub/calls/${uniqueCallId()}/config`, {
			token: TOKEN,
			body: { callbackUri: "https://bot.example.com/api/calls" },
		});
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error.message).toContain("CALLBACK_HOSTS");
	});

	it("deployed, a host CALLBACK_HOSTS lists is accepted", async () => {
		const vars = { SERVED_FROM: "", CALLBACK_HOSTS: "*.example.com" };
		const response = await sendWith(vars, "PUT", `${ORIGIN}/_stub/calls/${uniqueCallId()}/config`, {
			token: TOKEN,
			body: { callbackUri: "https://bot.example.com/api/calls" },
		});
		expect(response.status).toBe(200);
	});
});
