import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { tokenHashNamespace } from "../../src/auth/token-hash";
import { registryObject } from "../../src/calls/call-object";
import { type CallRecord, callRecordOf } from "../../src/calls/call-record";
import { fileRecord, MAX_CALL_RECORDS } from "../../src/objects/registry/call-records";
import {
	advance,
	callUrl,
	configure,
	createCall,
	newTester,
	startIncoming,
	TARGET,
	type Tester,
} from "../calls/helpers";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { anotherHook, byJoinId, connect, joinCall, meetingAction, newMeeting, person } from "../meetings/helpers";
import { receivedAt } from "../simulation/helpers";

// An ended call's record at …/communications/callRecords/{callChainId}: after the configured delay, for
// the call TTL, in the caller's namespace only; sessions and segments under $expand.

const recordUrl = (id: string, version = "v1.0", query = "") =>
	`${ORIGIN}/${version}/communications/callRecords/${encodeURIComponent(id)}${query}`;
const EXPAND_ALL = "?$expand=sessions($expand=segments),participants_v2";

type Session = Record<string, unknown> & {
	caller: Record<string, unknown>;
	callee: Record<string, unknown>;
	failureInfo: { stage: string; reason: string } | null;
	segments?: Record<string, unknown>[];
};
type RecordBody = Record<string, unknown> & {
	id: string;
	type: string;
	sessions?: Session[];
	participants_v2?: { id: string; identity: Record<string, { displayName: string | null }> }[];
};

const getRecord = (tester: Tester, id: string, query = "", version = "v1.0") =>
	send("GET", recordUrl(id, version, query), undefined, { token: tester.token });

/** Waits until the record is readable (its filing follows the step that ended the call). */
async function recordOf(tester: Tester, id: string, query = "", version = "v1.0") {
	let body: RecordBody | undefined;
	await vi.waitFor(
		async () => {
			const response = await getRecord(tester, id, query, version);
			expect(response.status).toBe(200);
			body = (await response.json()) as RecordBody;
		},
		{ timeout: 5000, interval: 20 },
	);
	return body as RecordBody;
}

const withRecords = (tester: Tester, callRecords: Record<string, unknown>, calling: Record<string, unknown> = {}) =>
	configure(tester, { callRecords, calling: { setupMs: 3_600_000, ...calling } });

async function hungUpCall(tester: Tester) {
	const call = await createCall(tester);
	await advance(tester, call.id, "established", "audioActive");
	expect((await send("DELETE", callUrl(call.id), undefined, { token: tester.token })).status).toBe(204);
	return call as typeof call & { callChainId: string };
}

const registryRows = async (tester: Tester) =>
	runInDurableObject(registryObject(env, await tokenHashNamespace(tester.token)), (_, state) =>
		state.storage.sql
			.exec<{ id: string; available_at: number; expires_at: number }>(
				"SELECT id, available_at, expires_at FROM call_records ORDER BY seq",
			)
			.toArray(),
	);

describe("call records", { timeout: 20_000 }, () => {
	it("serves a peer-to-peer call's record by its callChainId, sessions and segments under $expand", async () => {
		const tester = newTester();
		await withRecords(tester, { delayMs: 0 });
		const call = await hungUpCall(tester);
		const plain = await recordOf(tester, call.callChainId);
		expect(plain).toMatchObject({
			"@odata.context": `${ORIGIN}/v1.0/$metadata#communications/callRecords/$entity`,
			version: 1,
			type: "peerToPeer",
			modalities: ["audio"],
			id: call.callChainId,
			joinWebUrl: null,
			"organizer_v2@odata.context": `${ORIGIN}/v1.0/$metadata#communications/callRecords('${call.callChainId}')/organizer_v2/$entity`,
			organizer_v2: { identity: { application: { displayName: "Calling Bot" } } },
		});
		expect(plain).not.toHaveProperty("sessions");
		expect(plain).not.toHaveProperty("participants_v2");
		expect(Date.parse(String(plain.startDateTime))).toBeLessThanOrEqual(Date.parse(String(plain.endDateTime)));

		const full = await recordOf(tester, call.callChainId, EXPAND_ALL);
		expect(full["@odata.context"]).toBe(
			`${ORIGIN}/v1.0/$metadata#communications/callRecords(sessions(segments()),participants_v2())/$entity`,
		);
		expect(full.participants_v2?.map((one) => Object.keys(one.identity)[0])).toEqual(["application", "user"]);
		expect(full.sessions).toHaveLength(1);
		const [session] = full.sessions ?? [];
		expect(session).toMatchObject({
			modalities: ["audio"],
			isTest: false,
			failureInfo: null,
			caller: { "@odata.type": "#microsoft.graph.callRecords.serviceEndpoint", userAgent: { role: "customBot" } },
			callee: {
				"@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
				associatedIdentity: { id: TARGET.identity.user.id, displayName: "Callee" },
			},
		});
		expect(session?.segments).toEqual([
			expect.objectContaining({ startDateTime: session?.startDateTime, endDateTime: session?.endDateTime, media: [] }),
		]);
		const sessionsOnly = await recordOf(tester, call.callChainId, "?$expand=sessions", "beta");
		expect(sessionsOnly["@odata.context"]).toBe(
			`${ORIGIN}/beta/$metadata#communications/callRecords(sessions())/$entity`,
		);
		expect(sessionsOnly.sessions?.[0]).not.toHaveProperty("segments");
	});

	it("is 404 until the configured delay has passed, then readable for the call TTL", async () => {
		const tester = newTester();
		await withRecords(tester, { delayMs: 600_000 });
		const before = Date.now();
		const call = await hungUpCall(tester);
		await vi.waitFor(async () => expect(await registryRows(tester)).toHaveLength(1), { timeout: 5000, interval: 20 });
		const [row] = await registryRows(tester);
		expect(row?.available_at).toBeGreaterThanOrEqual(before + 600_000);
		expect(row?.available_at).toBeLessThan(Date.now() + 600_000 + 1);
		const early = await getRecord(tester, call.callChainId);
		expect(early.status).toBe(404);
		expect((await errorOf(early)).error.code).toBe("NotFound");

		const namespace = await tokenHashNamespace(tester.token);
		await runInDurableObject(registryObject(env, namespace), (_, state) => {
			state.storage.sql.exec("UPDATE call_records SET available_at = ?", Date.now() - 1);
		});
		expect((await getRecord(tester, call.callChainId)).status).toBe(200);
		// Kept for the call TTL after it became readable, then 404 again.
		expect((row?.expires_at ?? 0) - (row?.available_at ?? 0)).toBe(Number(env.CALL_TTL_SECONDS) * 1000);
		await runInDurableObject(registryObject(env, namespace), (_, state) => {
			state.storage.sql.exec("UPDATE call_records SET expires_at = ?", Date.now() - 1);
		});
		expect((await getRecord(tester, call.callChainId)).status).toBe(404);
	});

	it("records a call that never connected as a callSetup failure, and one ended in error as midcall", async () => {
		const tester = newTester();
		const unreachable = { state: "terminated", resultInfo: { code: 480, subcode: 10076, message: "Unreachable" } };
		await withRecords(tester, { delayMs: 0 }, { outcome: unreachable });
		const failed = await createCall(tester);
		await advance(tester, String(failed.id), "setupFailed");
		const record = await recordOf(tester, String(failed.callChainId), "?$expand=sessions");
		expect(record.sessions?.[0]?.failureInfo).toMatchObject({ stage: "callSetup", reason: "Unreachable" });

		const other = newTester();
		await withRecords(other, { delayMs: 0 });
		const dropped = await createCall(other);
		await advance(other, dropped.id, "established", "audioActive");
		const farEnd = { resultInfo: { code: 500, subcode: 7117, message: "Server Internal Error" } };
		expect(
			(await send("POST", `${ORIGIN}/_stub/calls/${dropped.id}/hangup`, farEnd, { token: other.token })).status,
		).toBe(202);
		const midcall = await recordOf(other, String(dropped.callChainId), "?$expand=sessions");
		expect(midcall.sessions?.[0]?.failureInfo).toMatchObject({ stage: "midcall", reason: "Server Internal Error" });
	});

	it("merges a second call of the same chain into one record with a higher version", async () => {
		const tester = newTester();
		await withRecords(tester, { delayMs: 0 });
		const callChainId = crypto.randomUUID();
		for (const caller of ["Ann", "Bob"]) {
			const source = { identity: { user: { id: `${caller}-id`, displayName: caller } } };
			const call = await startIncoming(tester, { callChainId, source });
			expect((await send("POST", `${ORIGIN}/_stub/calls/${call.id}/hangup`, {}, { token: tester.token })).status).toBe(
				202,
			);
			await vi.waitFor(async () => {
				const record = await recordOf(tester, callChainId, EXPAND_ALL);
				expect(record.version).toBe(caller === "Ann" ? 1 : 2);
			});
		}
		const record = await recordOf(tester, callChainId, EXPAND_ALL);
		expect(record.sessions).toHaveLength(2);
		const names = record.participants_v2?.map((one) => Object.values(one.identity)[0]?.displayName);
		expect(names).toEqual(expect.arrayContaining(["Ann", "Bob"]));
		// Never established: each session failed in setup.
		expect(record.sessions?.every((session) => session.failureInfo?.stage === "callSetup")).toBe(true);
	});

	it("records a meeting call as a group call with the meeting's join URL, organizer and people", async () => {
		const tester = newTester();
		await withRecords(tester, { delayMs: 0 });
		const organizer = { user: { id: "org-1", displayName: "Olga Organizer" } };
		const meeting = await newMeeting(tester, {
			joinMeetingId: "424242424242",
			organizer,
			participants: [person("Alice"), person("Bob")],
		});
		const call = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId("424242424242") });
		await connect(tester, call.id);
		await vi.waitFor(async () => {
			const rows = await (
				await send("GET", `${callUrl(call.id)}/participants`, undefined, { token: tester.token })
			).json();
			expect((rows as { value: unknown[] }).value).toHaveLength(3);
		});
		expect((await send("DELETE", callUrl(call.id), undefined, { token: tester.token })).status).toBe(204);
		const record = await recordOf(tester, String(call.callChainId), EXPAND_ALL);
		const view = await json(await meetingAction(tester, "GET", meeting.id));
		expect(record).toMatchObject({
			type: "groupCall",
			joinWebUrl: view.joinWebUrl,
			organizer_v2: { id: "org-1", identity: { user: { displayName: "Olga Organizer" } } },
		});
		const names = record.participants_v2?.map((one) => Object.values(one.identity)[0]?.displayName);
		expect(names).toEqual(expect.arrayContaining(["Alice", "Bob", "Calling Bot"]));
		expect(record.sessions?.length).toBe(names?.length);
		expect(
			record.sessions?.every(
				(s) => (s.callee as { userAgent: { role: string } }).userAgent.role === "skypeForBusinessAudioVideoMcu",
			),
		).toBe(true);
	});

	it("lists everyone the meeting call saw, also those who left before it ended", async () => {
		const tester = newTester();
		await withRecords(tester, { delayMs: 0 });
		const meeting = await newMeeting(tester, { joinMeetingId: "434343434343", participants: [person("Alice")] });
		const call = await joinCall(tester, tester.callbackUri, { meetingInfo: byJoinId("434343434343") });
		await connect(tester, call.id);
		const rosterSize = async () =>
			(
				(await (await send("GET", `${callUrl(call.id)}/participants`, undefined, { token: tester.token })).json()) as {
					value: unknown[];
				}
			).value.length;
		await vi.waitFor(async () => expect(await rosterSize()).toBe(2));
		expect((await meetingAction(tester, "POST", `${meeting.id}/participants`, person("Bob"))).status).toBe(201);
		await vi.waitFor(async () => expect(await rosterSize()).toBe(3));
		expect((await meetingAction(tester, "DELETE", `${meeting.id}/participants/Bob`)).status).toBe(204);
		await vi.waitFor(async () => expect(await rosterSize()).toBe(2));
		expect((await send("DELETE", callUrl(call.id), undefined, { token: tester.token })).status).toBe(204);
		const record = await recordOf(tester, String(call.callChainId), EXPAND_ALL);
		const names = record.participants_v2?.map((one) => Object.values(one.identity)[0]?.displayName);
		expect([...(names ?? [])].sort()).toEqual(["Alice", "Bob", "Calling Bot"]);
		expect(record.sessions?.length).toBe(3);
	});

	it("announces the record at callRecords.notificationUrl when it becomes readable (inferred), signed as the others", async () => {
		const tester = newTester();
		const notices = anotherHook();
		await withRecords(tester, { delayMs: 0, notificationUrl: notices.callbackUri });
		const call = await hungUpCall(tester);
		let got: Awaited<ReturnType<typeof receivedAt>> = [];
		await vi.waitFor(
			async () => {
				got = await receivedAt(notices.hook);
				expect(got).toHaveLength(1);
			},
			{ timeout: 5000, interval: 20 },
		);
		const [notice] = got;
		expect(JSON.parse(notice?.body ?? "{}")).toEqual({
			value: [
				{
					subscriptionId: "stub-callRecords",
					subscriptionExpirationDateTime: null,
					changeType: "created",
					resource: `communications/callRecords/${call.callChainId}`,
					clientState: null,
					tenantId: null,
					resourceData: {
						"@odata.type": "#microsoft.graph.callrecord",
						"@odata.id": `communications/callRecords/${call.callChainId}`,
						"@odata.etag": null,
						id: call.callChainId,
					},
				},
			],
		});
		expect(notice?.headers.authorization).toMatch(/^Bearer ey/);
		expect((await getRecord(tester, call.callChainId)).status).toBe(200);

		// With a delay, the notice waits in the call's outbox until the record is readable.
		const later = newTester();
		const laterNotices = anotherHook();
		await withRecords(later, { delayMs: 600_000, notificationUrl: laterNotices.callbackUri });
		const delayed = await hungUpCall(later);
		let journal: { resourceUrl?: string; state: string; nextAttemptDateTime: string | null }[] = [];
		await vi.waitFor(async () => {
			const response = await send("GET", `${ORIGIN}/_stub/calls/${delayed.id}/notifications`, undefined, {
				token: later.token,
			});
			journal = ((await response.json()) as { value: typeof journal }).value;
			expect(journal.some((entry) => entry.resourceUrl?.startsWith("/communications/callRecords/"))).toBe(true);
		});
		const pending = journal.find((entry) => entry.resourceUrl?.startsWith("/communications/callRecords/"));
		expect(pending?.state).toBe("pending");
		expect(Date.parse(pending?.nextAttemptDateTime ?? "")).toBeGreaterThan(Date.now() + 500_000);
		expect(await receivedAt(laterNotices.hook)).toEqual([]);
	});

	it("never serves another namespace's record", async () => {
		const owner = newTester();
		const stranger = newTester();
		await withRecords(owner, { delayMs: 0 });
		const call = await hungUpCall(owner);
		await recordOf(owner, call.callChainId);
		expect((await getRecord(stranger, call.callChainId)).status).toBe(404);
		expect((await send("GET", recordUrl(call.callChainId), undefined, { token: null })).status).toBe(401);
	});

	it("keeps at most 1000 records per namespace, the oldest dropped first", async () => {
		const tester = newTester();
		const namespace = await tokenHashNamespace(tester.token);
		const template = callRecordOf(
			{
				callChainId: "x",
				document: { source: { identity: { user: { id: "u" } } }, targets: [], requestedModalities: ["audio"] },
				createdAt: "2026-12-01T00:00:00.000Z",
				establishedAt: null,
				endedAt: "2026-12-01T00:00:01.000Z",
			},
			"2026-12-01T00:00:02.000Z",
		);
		const ids = await runInDurableObject(registryObject(env, namespace), (_, state) => {
			const made: string[] = [];
			for (let i = 0; i <= MAX_CALL_RECORDS; i++) {
				const record: CallRecord = { ...template, id: `chain-${i}` };
				fileRecord(state.storage.sql, record, Date.now() - 1, Date.now() + 60_000);
				made.push(record.id);
			}
			return made;
		});
		expect(await registryRows(tester)).toHaveLength(MAX_CALL_RECORDS);
		expect((await getRecord(tester, ids[0] ?? "")).status).toBe(404);
		expect((await getRecord(tester, ids[1] ?? "")).status).toBe(200);
		expect((await getRecord(tester, ids.at(-1) ?? "")).status).toBe(200);
	});

	it("refuses an unknown $expand, $select, and a bad callRecords configuration, naming every failing field", async () => {
		const tester = newTester();
		const expand = await getRecord(tester, crypto.randomUUID(), "?$expand=organizer");
		expect(expand.status).toBe(400);
		expect((await errorOf(expand)).error.details?.map((d) => d.target)).toEqual(["$expand"]);
		const select = await getRecord(tester, crypto.randomUUID(), "?$select=id");
		expect(select.status).toBe(400);
		const configBefore = await json(await send("GET", `${ORIGIN}/_stub/config`, undefined, { token: tester.token }));
		const config = await send(
			"PUT",
			`${ORIGIN}/_stub/config`,
			{ callRecords: { delayMs: -1, notificationUrl: "ftp://example.test/x", colour: "blue" } },
			{ token: tester.token },
		);
		expect(config.status).toBe(400);
		expect((await errorOf(config)).error.details?.map((d) => d.target).sort()).toEqual([
			"callRecords.colour",
			"callRecords.delayMs",
			"callRecords.notificationUrl",
		]);
		// Nothing was stored.
		expect(await json(await send("GET", `${ORIGIN}/_stub/config`, undefined, { token: tester.token }))).toEqual(
			configBefore,
		);
	});
});
