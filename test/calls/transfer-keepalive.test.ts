import { describe, expect, it } from "vitest";
import { errorOf, send } from "../helpers/graph";
import { advance, callUrl, configure, createCall, newTester, received, statesOf, TARGET, timersOf } from "./helpers";

async function establishedCall(tester: ReturnType<typeof newTester>) {
	const call = await createCall(tester);
	await advance(tester, call.id, "established", "audioActive");
	await received(tester, 3);
	return call;
}

describe("transfer", () => {
	it("202; then transferring, transferAccepted and deleted terminated 0/7015", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await establishedCall(tester);
		const response = await send(
			"POST",
			`${callUrl(call.id)}/transfer`,
			{ transferTarget: TARGET },
			{ token: tester.token },
		);
		expect(response.status).toBe(202);
		await received(tester, 4);
		await advance(tester, call.id, "transferAccepted", "transferCompleted");
		const heard = await received(tester, 6);
		expect(statesOf(heard).slice(3)).toEqual([
			"updated:transferring",
			"updated:transferAccepted",
			"deleted:terminated",
		]);
		expect(heard[5]?.resourceData.resultInfo).toMatchObject({
			code: 0,
			subcode: 7015,
			message: "GracefulTransferCompleted",
		});
	});

	it("when configured to fail: transferring, then established again with the resultInfo (500/7000)", async () => {
		const tester = newTester();
		const resultInfo = { code: 500, subcode: 7000, message: "Transfer failed." };
		await configure(tester, { calling: { setupMs: 3_600_000, transferOutcome: { state: "failed", resultInfo } } });
		const call = await establishedCall(tester);
		await send("POST", `${callUrl(call.id)}/transfer`, { transferTarget: TARGET }, { token: tester.token });
		await advance(tester, call.id, "transferFailed");
		const heard = await received(tester, 5);
		expect(statesOf(heard).slice(3)).toEqual(["updated:transferring", "updated:established"]);
		expect(heard[4]?.resourceData.resultInfo).toMatchObject(resultInfo);
	});

	it("needs a transferTarget", async () => {
		const tester = newTester();
		await configure(tester);
		const call = await establishedCall(tester);
		const response = await send("POST", `${callUrl(call.id)}/transfer`, {}, { token: tester.token });
		expect(response.status).toBe(400);
		expect((await errorOf(response)).error.details?.[0]?.target).toBe("transferTarget");
	});
});

describe("keepAlive", () => {
	it("200 without a body; pushes the inactivity timer back", async () => {
		const tester = newTester();
		await configure(tester, { calling: { setupMs: 3_600_000, keepAliveTimeoutMs: 60_000 } });
		const call = await createCall(tester);
		const dueBefore = (await timersOf(tester, call.id)).find((t) => t.kind === "keepAliveExpired")?.due_at ?? 0;
		expect(dueBefore - Date.now()).toBeLessThanOrEqual(60_000);
		await scheduler.wait(5);
		const response = await send("POST", `${callUrl(call.id)}/keepAlive`, undefined, { token: tester.token });
		expect(response.status).toBe(200);
		expect(await response.text()).toBe("");
		const timers = (await timersOf(tester, call.id)).filter((t) => t.kind === "keepAliveExpired");
		expect(timers).toHaveLength(1);
		expect(timers[0]?.due_at).toBeGreaterThan(dueBefore);
	});

	it("a call that is not kept alive ends: deleted, terminated 408/8537", async () => {
		const tester = newTester();
		await configure(tester, { calling: { setupMs: 3_600_000, keepAliveTimeoutMs: 3_600_000 } });
		const call = await establishedCall(tester);
		await advance(tester, call.id, "keepAliveExpired");
		const heard = await received(tester, 4);
		expect(statesOf(heard)[3]).toBe("deleted:terminated");
		expect(heard[3]?.resourceData.resultInfo).toMatchObject({ code: 408, subcode: 8537 });
	});
});
