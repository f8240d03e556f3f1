import { describe, expect, it } from "vitest";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { callsUrl, newCallBody, newTester } from "./helpers";

const post = (tester: ReturnType<typeof newTester>, body: unknown, version = "v1.0") =>
	send("POST", callsUrl(version), body, { token: tester.token });

const callsOf = async (tester: ReturnType<typeof newTester>) =>
	(await json(await send("GET", `${ORIGIN}/_stub/calls`, undefined, { token: tester.token }))).value;

describe("POST /communications/calls validation", () => {
	it.each([
		["callbackUri missing", { callbackUri: undefined }, "callbackUri"],
		["callbackUri plain http off this machine", { callbackUri: "http://bot.example.com/cb" }, "callbackUri"],
		["mediaConfig missing", { mediaConfig: undefined }, "mediaConfig"],
		[
			"mediaConfig of another type",
			{ mediaConfig: { "@odata.type": "#microsoft.graph.call" } },
			"mediaConfig.@odata.type",
		],
		["a modality v1.0 does not have", { requestedModalities: ["unknown"] }, "requestedModalities[0]"],
		["neither targets nor a meeting", { targets: undefined }, "targets"],
		["a target without identity", { targets: [{}] }, "targets[0].identity"],
		["a tenantId that is not a string", { tenantId: 7 }, "tenantId"],
	])("refuses %s with 400 naming the field, and stores nothing", async (_, change, target) => {
		const tester = newTester();
		const response = await post(tester, { ...newCallBody(tester), ...change });
		expect(response.status).toBe(400);
		const { error } = await errorOf(response);
		expect(error.code).toBe("BadRequest");
		expect(error.details?.map((d) => d.target)).toContain(target);
		expect(await callsOf(tester)).toEqual([]);
	});

	it("names every failing field in one answer", async () => {
		const tester = newTester();
		const response = await post(tester, { targets: [], requestedModalities: ["smell"] });
		const targets = (await errorOf(response)).error.details?.map((d) => d.target);
		expect(targets).toEqual(expect.arrayContaining(["callbackUri", "mediaConfig", "requestedModalities[0]"]));
	});

	it("answers 8523 'Missing mediaConfig information.' for app-hosted media without its blob", async () => {
		const tester = newTester();
		const appHosted = { "@odata.type": "#microsoft.graph.appHostedMediaConfig" };
		const response = await post(tester, newCallBody(tester, { mediaConfig: appHosted }));
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error).toMatchObject({
			code: "8523",
			message: "Missing mediaConfig information.",
		});
		const withBlob = await post(tester, newCallBody(tester, { mediaConfig: { ...appHosted, blob: "<config>" } }));
		expect(withBlob.status).toBe(201);
	});

	it("takes beta's extra modality `unknown` on beta only", async () => {
		const tester = newTester();
		const body = newCallBody(tester, { requestedModalities: ["audio", "unknown"] });
		expect((await post(tester, body, "beta")).status).toBe(201);
		expect((await post(tester, body, "v1.0")).status).toBe(400);
	});

	it("joins a meeting with chatInfo and meetingInfo and no targets", async () => {
		const tester = newTester();
		const body = newCallBody(tester, {
			targets: undefined,
			chatInfo: { "@odata.type": "#microsoft.graph.chatInfo", threadId: "19:meeting@thread.v2", messageId: "0" },
			meetingInfo: {
				"@odata.type": "#microsoft.graph.joinMeetingIdMeetingInfo",
				joinMeetingId: "1234567890",
				passcode: null,
			},
			tenantId: "tenant-1",
		});
		const response = await post(tester, body);
		expect(response.status).toBe(201);
		expect(await json(response)).toMatchObject({
			targets: [],
			tenantId: "tenant-1",
			chatInfo: { threadId: "19:meeting@thread.v2" },
		});
	});

	it("refuses a body that is not JSON", async () => {
		const tester = newTester();
		const response = await send("POST", callsUrl(), "{not json", { token: tester.token });
		expect(response.status).toBe(400);
	});

	it("answers 405 for other methods on the collection", async () => {
		const tester = newTester();
		const response = await send("GET", callsUrl(), undefined, { token: tester.token });
		expect(response.status).toBe(405);
		expect(response.headers.get("Allow")).toBe("POST");
	});
});

describe("the calling configuration section", () => {
	it.each([
		[{ setupMs: -1 }, "calling.setupMs"],
		[{ outcome: "ringing" }, "calling.outcome"],
		[{ outcome: { state: "terminated" } }, "calling.outcome"],
		[{ answerTimeoutMs: "15s" }, "calling.answerTimeoutMs"],
		[{ keepAliveTimeoutMs: 90_000_000 }, "calling.keepAliveTimeoutMs"],
		[{ transferOutcome: { state: "failed", resultInfo: { code: "500" } } }, "calling.transferOutcome"],
		[{ unknownKnob: 1 }, "calling.unknownKnob"],
	])("refuses %j naming the field", async (calling, target) => {
		const tester = newTester();
		const response = await send("PUT", `${ORIGIN}/_stub/config`, { calling }, { token: tester.token });
		expect(response.status).toBe(400);
		const targets = (await errorOf(response)).error.details?.map((d) => d.target) ?? [];
		expect(targets.some((name) => name.startsWith(target))).toBe(true);
	});

	it("takes a whole section", async () => {
		const tester = newTester();
		const calling = {
			setupMs: 0,
			outcome: { state: "terminated", resultInfo: { code: 480, subcode: 10076 } },
			answerTimeoutMs: 5000,
			keepAliveTimeoutMs: 60_000,
			transferOutcome: { state: "failed", resultInfo: { code: 500, subcode: 7000, message: "no" } },
		};
		const response = await send("PUT", `${ORIGIN}/_stub/config`, { calling }, { token: tester.token });
		expect(response.status).toBe(200);
		expect((await json(response)).config).toMatchObject({ calling: { setupMs: 0, answerTimeoutMs: 5000 } });
	});
});
