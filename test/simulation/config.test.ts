import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { create, errorOf, ORIGIN, send, uniqueCallId } from "../helpers/graph";
import { callStub, putCallConfig, receiverUrl } from "./helpers";

const planned = async (callId: string, token: string) =>
	runInDurableObject(
		await callStub(callId, token),
		(_, state) => state.storage.sql.exec("SELECT 1 FROM transitions").toArray().length,
	);

const SCRIPT = [{ status: "Completed", afterMs: 1_000_000 }];

describe("configuration", () => {
	it("refuses invalid configurations with Graph-shaped 400s naming each field", async () => {
		const response = await putCallConfig(uniqueCallId(), {
			callbackUri: "http://example.com/hook",
			progression: {
				default: [
					{ status: "Completed", afterMs: 1 },
					{ status: "Running", afterMs: -1 },
				],
			},
			faults: { rules: [{ route: "nope", status: 418 }] },
			extra: true,
		});
		expect(response.status).toBe(400);
		const { error } = await errorOf(response);
		const targets = error.details?.map((d) => d.target) ?? [];
		expect(targets).toEqual(
			expect.arrayContaining([
				"callbackUri",
				"progression.default",
				"progression.default[1].afterMs",
				"faults.rules[0].route",
				"extra",
			]),
		);
	});

	it("accepts callbacks to loopback, http or https, when served locally; other hosts need CALLBACK_HOSTS", async () => {
		expect((await putCallConfig(uniqueCallId(), { callbackUri: "http://localhost:3978/api/calls" })).status).toBe(200);
		expect((await putCallConfig(uniqueCallId(), { callbackUri: "https://127.0.0.1/api/calls" })).status).toBe(200);
		const elsewhere = await putCallConfig(uniqueCallId(), { callbackUri: "https://bot.example.com/api/calls" });
		expect(elsewhere.status).toBe(400);
		expect((await errorOf(elsewhere)).error.message).toContain("CALLBACK_HOSTS");
	});

	it("lets the namespace default apply to new and existing calls, a call's own config win, and stays in its namespace", async () => {
		const alice = `alice-${uniqueCallId()}`;
		const bob = `bob-${uniqueCallId()}`;
		const existing = uniqueCallId();
		await create(existing, {}, { token: alice });
		const put = await send(
			"PUT",
			`${ORIGIN}/_stub/config`,
			{ callbackUri: `${receiverUrl()}/ns`, progression: { default: SCRIPT } },
			{ token: alice },
		);
		expect(put.status).toBe(200);

		const fresh = uniqueCallId();
		await create(fresh, {}, { token: alice });
		await create(existing, {}, { token: alice });
		expect(await planned(fresh, alice)).toBe(1);
		expect(await planned(existing, alice)).toBe(1);

		const own = uniqueCallId();
		await putCallConfig(own, { callbackUri: `${receiverUrl()}/own` }, alice);
		await create(own, {}, { token: alice });
		expect(await planned(own, alice)).toBe(0);
		const view = (await (
			await send("GET", `${ORIGIN}/_stub/calls/${own}/config`, undefined, { token: alice })
		).json()) as Record<string, unknown>;
		expect(view).toMatchObject({ own: { callbackUri: `${receiverUrl()}/own` }, inherited: { progression: {} } });

		const bobs = await send("GET", `${ORIGIN}/_stub/config`, undefined, { token: bob });
		expect(await bobs.json()).toEqual({ config: null });
		await create(fresh, {}, { token: bob });
		expect(await planned(fresh, bob)).toBe(0);

		await send("DELETE", `${ORIGIN}/_stub/config`, undefined, { token: alice });
		const later = uniqueCallId();
		await create(later, {}, { token: alice });
		expect(await planned(later, alice)).toBe(0);
	});
});
