import { describe, expect, it } from "vitest";
import { act, acted, after3, establishedCall, PROMPT } from "../actions/helpers";
import {
	advance,
	callUrl,
	configure,
	createCall,
	newTester,
	received,
	SERVICE_HOSTED,
	startIncoming,
	type Tester,
} from "../calls/helpers";
import { json, ORIGIN, operationsUrl, send } from "../helpers/graph";

// Through v1.0 a bot sees only what v1.0 declares, in answers and notifications alike; through beta, what
// beta declares. One stored document, read through both.

const VERSIONS = ["v1.0", "beta"] as const;
const BETA_CALL_PROPERTIES = ["answeredBy", "ringingTimeoutInSeconds", "terminationReason"];

const get = (tester: Tester, url: string) => send("GET", url, undefined, { token: tester.token });

/** Has exactly the beta-only properties of a call when `version` is beta, none of them on v1.0. */
function expectCallOf(version: string, call: Record<string, unknown>) {
	for (const name of BETA_CALL_PROPERTIES)
		if (version === "beta") expect(call, name).toHaveProperty(name, null);
		else expect(call, name).not.toHaveProperty(name);
	const [target] = call.targets as Record<string, unknown>[];
	if (version === "beta") expect(target).toHaveProperty("endpointType", null);
	else expect(target).not.toHaveProperty("endpointType");
	// participantInfo.endpointType is declared on both.
	expect(call.source).toHaveProperty("endpointType");
}

describe("the call", () => {
	it.each(VERSIONS)(
		"created through %s: its answer, GET and notifications carry that version's properties",
		async (version) => {
			const tester = newTester();
			await configure(tester);
			const created = await createCall(tester, {}, version);
			expectCallOf(version, created);
			expectCallOf(version, await json(await get(tester, callUrl(created.id, version))));
			const [establishing] = await received(tester, 1);
			expectCallOf(version, establishing?.resourceData ?? {});
		},
	);

	it("is one document: a call made through v1.0 reads with beta's properties through beta", async () => {
		const tester = newTester();
		await configure(tester);
		const created = await createCall(tester, {}, "v1.0");
		expectCallOf("beta", await json(await get(tester, callUrl(created.id, "beta"))));
	});

	it("incoming: the bot hears it in v1.0 unless the tester names beta, then in the version it answers through", async () => {
		for (const [rings, answers] of [
			["v1.0", "beta"],
			["beta", "v1.0"],
		] as const) {
			const tester = newTester();
			await configure(tester);
			const call = await startIncoming(tester, rings === "v1.0" ? {} : { apiVersion: "beta" });
			expectCallOf(rings, call);
			const answer = { callbackUri: tester.callbackUri, mediaConfig: SERVICE_HOSTED, acceptedModalities: ["audio"] };
			const answered = await send("POST", `${callUrl(call.id, answers)}/answer`, answer, { token: tester.token });
			expect(answered.status).toBe(202);
			const [created, establishing] = await received(tester, 2);
			expect(created?.changeType).toBe("created");
			expectCallOf(rings, created?.resourceData ?? {});
			expect(establishing?.resourceData.state).toBe("establishing");
			expectCallOf(answers, establishing?.resourceData ?? {});
		}
	});

	it("refuses an incoming call's unknown version", async () => {
		const tester = newTester();
		const response = await send(
			"POST",
			`${ORIGIN}/_stub/incoming-calls`,
			{ callbackUri: tester.callbackUri, apiVersion: "v2.0" },
			{ token: tester.token },
		);
		expect(response.status).toBe(400);
	});
});

describe("action operations", () => {
	it.each(VERSIONS)(
		"%s: playPromptOperation.completionReason is beta's, in the notification and on GET",
		async (version) => {
			const tester = newTester();
			const call = await establishedCall(tester, {}, version);
			const { operation } = await acted(tester, call.id, "playPrompt", { prompts: [PROMPT] }, version);
			expect(operation).not.toHaveProperty("prompts"); // declared by neither version: not echoed
			await advance(tester, call.id, "operationFinished");
			const [done] = await after3(tester, 1);
			expect(done?.resourceData.status).toBe("completed");
			if (version === "beta") expect(done?.resourceData.completionReason).toBe("completedSuccessfully");
			else expect(done?.resourceData).not.toHaveProperty("completionReason");
			expect(done?.resourceData).not.toHaveProperty("prompts");
			// The same stored operation through each version.
			const url = (through: string) => `${callUrl(call.id, through)}/operations/${operation.id}`;
			expect(await json(await get(tester, url("v1.0")))).not.toHaveProperty("completionReason");
			expect(await json(await get(tester, url("beta")))).toHaveProperty("completionReason", "completedSuccessfully");
		},
	);

	it.each(VERSIONS)("%s: recordResponse answers completionReason null only on beta", async (version) => {
		const tester = newTester();
		const call = await establishedCall(tester, {}, version);
		const { operation } = await acted(tester, call.id, "recordResponse", {}, version);
		expect(operation).toMatchObject({ resultInfo: null, recordingLocation: null });
		if (version === "beta") expect(operation).toHaveProperty("completionReason", null);
		else expect(operation).not.toHaveProperty("completionReason");
	});

	it.each(VERSIONS)("%s: invite echoes participants[].endpointType only on beta", async (version) => {
		const tester = newTester();
		const call = await establishedCall(tester, {}, version);
		const invitee = { endpointType: "default", identity: { user: { id: "u-2", displayName: "Second" } } };
		const response = await act(tester, call.id, "participants/invite", { participants: [invitee] }, version);
		expect(response.status).toBe(200);
		const [echoed] = (await json(response)).participants as Record<string, unknown>[];
		if (version === "beta") expect(echoed).toHaveProperty("endpointType", "default");
		else expect(echoed).not.toHaveProperty("endpointType");
	});
});

describe("participants", () => {
	it.each(VERSIONS)(
		"%s: a participantInfo's beta-only platformId, in the list, one participant and the roster notification",
		async (version) => {
			const tester = newTester();
			const call = await establishedCall(tester, {}, version);
			const joining = { identity: { user: { id: "u-3", displayName: "Third" } }, platformId: "p-3" };
			const roster = await send(
				"POST",
				`${ORIGIN}/_stub/calls/${call.id}/roster`,
				{ join: [joining] },
				{ token: tester.token },
			);
			expect(roster.status).toBe(202);
			const [notified] = await after3(tester, 1);
			const third = (list: unknown) =>
				(list as { id: string; info: Record<string, unknown> }[]).find(
					(one) => (one.info.identity as { user?: { id: string } }).user?.id === "u-3",
				);
			const listed = third((await json(await get(tester, `${callUrl(call.id, version)}/participants`))).value);
			const heard = third(notified?.resourceData);
			const one = await json(await get(tester, `${callUrl(call.id, version)}/participants/${listed?.id}`));
			for (const info of [listed?.info, heard?.info, one.info as Record<string, unknown>])
				if (version === "beta") expect(info).toHaveProperty("platformId", "p-3");
				else expect(info).not.toHaveProperty("platformId");
		},
	);
});

describe("operations made through the operations collection", () => {
	it("answer and notify in the version of the request: v1.0 lacks playPromptOperation.completionReason, beta has it", async () => {
		for (const version of VERSIONS) {
			const tester = newTester();
			const callId = `ops-${version}-${crypto.randomUUID()}`;
			await configure(tester, {
				callbackUri: tester.callbackUri,
				progression: { default: [{ status: "Completed", afterMs: 0 }] },
			});
			const body = { "@odata.type": "#microsoft.graph.playPromptOperation", id: "op", completionReason: "unknown" };
			const created = await send("POST", operationsUrl(callId, version), body, { token: tester.token });
			expect(created.status).toBe(201);
			const answered = await json(created);
			const listed = ((await json(await get(tester, operationsUrl(callId, version)))).value as unknown[])[0];
			const [done] = await received(tester, 1);
			for (const seen of [answered, listed, done?.resourceData])
				if (version === "beta") expect(seen).toHaveProperty("completionReason", "unknown");
				else expect(seen).not.toHaveProperty("completionReason");
			expect(await json(await get(tester, `${operationsUrl(callId, "beta")}/op`))).toHaveProperty(
				"completionReason",
				"unknown",
			);
		}
	});
});
