import { describe, expect, it } from "vitest";
import { errorOf, json, ORIGIN, send } from "../helpers/graph";
import { callUrl, configure, createCall, newTester, TARGET, type Tester } from "./helpers";

// …/calls/{id}/audioRoutingGroups on both versions: Graph's rules (one source; oneToOne one receiver,
// multicast one or more; participants of the call only), bounded per call, and who leaves is dropped.

const target = (n: number) => ({
	...TARGET,
	identity: { user: { id: `8a34a46b-0000-4000-8000-00000000000${n}`, displayName: `Callee ${n}` } },
});

/** A call with the bot and three callees; returns their participant ids (the bot's first). */
async function callWithParticipants(tester: Tester) {
	await configure(tester);
	const call = await createCall(tester, { targets: [target(1), target(2), target(3)] });
	const roster = await json(await send("GET", `${callUrl(call.id)}/participants`, undefined, { token: tester.token }));
	return { callId: call.id, ids: (roster.value as { id: string }[]).map((p) => p.id) };
}

const groupsUrl = (callId: string, version = "v1.0") => `${callUrl(callId, version)}/audioRoutingGroups`;
const call = (tester: Tester, method: string, url: string, body?: unknown) =>
	send(method, url, body, { token: tester.token });

describe("audio routing groups", () => {
	for (const version of ["v1.0", "beta"])
		it(`${version}: create (200, echoed), list, get, PATCH a multicast group's receivers, delete (204)`, async () => {
			const tester = newTester();
			const { callId, ids } = await callWithParticipants(tester);
			const [bot, a, b, c] = ids as [string, string, string, string];
			const oneToOne = { id: "oneToOne", routingMode: "oneToOne", sources: [bot], receivers: [a] };
			const created = await call(tester, "POST", groupsUrl(callId, version), oneToOne);
			expect(created.status).toBe(200);
			const context = `${ORIGIN}/${version}/$metadata#communications/calls('${callId}')/audioRoutingGroups`;
			expect(await json(created)).toEqual({
				"@odata.context": `${context}/$entity`,
				"@odata.type": "#microsoft.graph.audioRoutingGroup",
				...oneToOne,
			});
			const multicast = { id: "multicast", routingMode: "multicast", sources: [bot], receivers: [a, b] };
			expect((await call(tester, "POST", groupsUrl(callId, version), multicast)).status).toBe(200);

			const list = await json(await call(tester, "GET", groupsUrl(callId, version)));
			expect(list["@odata.context"]).toBe(context);
			expect((list.value as { id: string }[]).map((g) => g.id)).toEqual(["oneToOne", "multicast"]);
			expect(await json(await call(tester, "GET", `${groupsUrl(callId, version)}/multicast`))).toMatchObject(multicast);

			const patched = await call(tester, "PATCH", `${groupsUrl(callId, version)}/multicast`, { receivers: [a, b, c] });
			expect(patched.status).toBe(200);
			expect(await json(patched)).toMatchObject({ ...multicast, receivers: [a, b, c] });

			const deleted = await call(tester, "DELETE", `${groupsUrl(callId, version)}/oneToOne`);
			expect(deleted.status).toBe(204);
			const gone = await call(tester, "GET", `${groupsUrl(callId, version)}/oneToOne`);
			expect(gone.status).toBe(404);
			expect((await errorOf(gone)).error.code).toBe("itemNotFound");
			// The legacy /app/calls alias reaches the same groups.
			const app = await json(await call(tester, "GET", `${ORIGIN}/${version}/app/calls/${callId}/audioRoutingGroups`));
			expect((app.value as { id: string }[]).map((g) => g.id)).toEqual(["multicast"]);
		});

	it("refuses bad bodies in one 400 naming every failing field, storing nothing", async () => {
		const tester = newTester();
		const { callId, ids } = await callWithParticipants(tester);
		const [bot, a, b] = ids as [string, string, string];
		const cases: [unknown, string[]][] = [
			[{}, ["id", "routingMode", "sources", "receivers"]],
			[{ id: "g", routingMode: "broadcast", sources: [bot], receivers: [a], extra: 1 }, ["routingMode", "extra"]],
			[{ id: "g", routingMode: "oneToOne", sources: [bot, a], receivers: [a, b] }, ["sources", "receivers"]],
			[{ id: "g", routingMode: "multicast", sources: [bot], receivers: [] }, ["receivers"]],
			[{ id: "g", routingMode: "multicast", sources: [bot], receivers: [a, a] }, ["receivers"]],
			[
				{ id: "g", routingMode: "multicast", sources: ["nobody"], receivers: [a, "ghost"] },
				["sources[0]", "receivers[1]"],
			],
		];
		for (const [body, targets] of cases) {
			const response = await call(tester, "POST", groupsUrl(callId), body);
			expect(response.status, JSON.stringify(body)).toBe(400);
			const { error } = await errorOf(response);
			expect(error.code).toBe("BadRequest");
			expect(error.details?.map((d) => d.target)).toEqual(targets);
		}
		expect((await json(await call(tester, "GET", groupsUrl(callId)))).value).toEqual([]);
	});

	it("an existing id is 409; the 21st group 400; an unknown call 404 8522; a PATCH to another id or mode's rules 400", async () => {
		const tester = newTester();
		const { callId, ids } = await callWithParticipants(tester);
		const [bot, a] = ids as [string, string];
		const group = (id: string) => ({ id, routingMode: "oneToOne", sources: [bot], receivers: [a] });
		for (let i = 0; i < 20; i++)
			expect((await call(tester, "POST", groupsUrl(callId), group(`g${i}`))).status).toBe(200);
		const again = await call(tester, "POST", groupsUrl(callId), group("g0"));
		expect([again.status, (await errorOf(again)).error.code]).toEqual([409, "Conflict"]);
		const tooMany = await call(tester, "POST", groupsUrl(callId), group("g20"));
		expect(tooMany.status).toBe(400);
		expect((await errorOf(tooMany)).error.message).toBe("A call holds at most 20 audio routing groups.");

		const renamed = await call(tester, "PATCH", `${groupsUrl(callId)}/g0`, { id: "other" });
		expect((await errorOf(renamed)).error.details?.map((d) => d.target)).toEqual(["id"]);
		const twoReceivers = await call(tester, "PATCH", `${groupsUrl(callId)}/g0`, { receivers: [a, bot] });
		expect((await errorOf(twoReceivers)).error.details?.map((d) => d.target)).toEqual(["receivers"]);
		expect(await json(await call(tester, "GET", `${groupsUrl(callId)}/g0`))).toMatchObject(group("g0"));
		const missing = await call(tester, "PATCH", `${groupsUrl(callId)}/nope`, { receivers: [a] });
		expect([missing.status, (await errorOf(missing)).error.code]).toEqual([404, "itemNotFound"]);
		expect((await call(tester, "DELETE", `${groupsUrl(callId)}/nope`)).status).toBe(404);

		const unknown = await call(tester, "GET", groupsUrl("no-such-call"));
		expect([unknown.status, (await errorOf(unknown)).error.code]).toEqual([404, "8522"]);
		const hungUp = await call(tester, "DELETE", callUrl(callId));
		expect(hungUp.status).toBe(204);
		expect((await errorOf(await call(tester, "GET", groupsUrl(callId)))).error.code).toBe("8522");
	});

	it("a participant who leaves is dropped from every group; a group left without a receiver is removed", async () => {
		const tester = newTester();
		const { callId, ids } = await callWithParticipants(tester);
		const [bot, a, b] = ids as [string, string, string];
		await call(tester, "POST", groupsUrl(callId), {
			id: "pair",
			routingMode: "oneToOne",
			sources: [bot],
			receivers: [a],
		});
		await call(tester, "POST", groupsUrl(callId), {
			id: "all",
			routingMode: "multicast",
			sources: [bot],
			receivers: [a, b],
		});
		expect((await call(tester, "DELETE", `${callUrl(callId)}/participants/${a}`)).status).toBe(204);
		const left = await json(await call(tester, "GET", groupsUrl(callId)));
		expect(left.value).toEqual([
			{
				"@odata.type": "#microsoft.graph.audioRoutingGroup",
				id: "all",
				routingMode: "multicast",
				sources: [bot],
				receivers: [b],
			},
		]);
		// The one who left can no longer be named.
		const stale = await call(tester, "PATCH", `${groupsUrl(callId)}/all`, { receivers: [a] });
		expect((await errorOf(stale)).error.details?.map((d) => d.target)).toEqual(["receivers[0]"]);
	});
});
