import { describe, expect, it } from "vitest";
import { advance, newTester } from "../calls/helpers";
import { json, ORIGIN, send } from "../helpers/graph";
import { acted, establishedCall, PROMPT } from "./helpers";

// A tester may PATCH an action's operation to a terminal status (to script an outcome by hand): the
// stub then leaves it where the tester put it, and the media queue goes on past it.
describe("a tester's terminal PATCH of an action's operation", () => {
	it("is where the operation ends: the stub does not complete it later", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const { operation } = await acted(tester, call.id, "playPrompt", { prompts: [PROMPT] });
		const url = `${ORIGIN}/v1.0/communications/calls/${call.id}/operations/${operation.id}`;
		const patched = await send("PATCH", url, { status: "Failed" }, { token: tester.token });
		expect(patched.status).toBe(200);
		await advance(tester, call.id, "operationFinished");
		await new Promise((resolve) => setTimeout(resolve, 300)); // the alarm had its chance to finish it
		const read = await json(await send("GET", url, undefined, { token: tester.token }));
		expect(read.status).toBe("Failed");
		expect(read.completionReason).toBeUndefined();
	});

	it("lets the queue move on to the next prompt", async () => {
		const tester = newTester();
		const call = await establishedCall(tester);
		const first = (await acted(tester, call.id, "playPrompt", { prompts: [PROMPT] })).operation;
		const second = (await acted(tester, call.id, "playPrompt", { prompts: [PROMPT] })).operation;
		const base = `${ORIGIN}/v1.0/communications/calls/${call.id}/operations`;
		await send("PATCH", `${base}/${first.id}`, { status: "Completed" }, { token: tester.token });
		await advance(tester, call.id, "operationFinished"); // the alarm runs the due timers: wait for it
		const statusOf = async () =>
			(await json(await send("GET", `${base}/${second.id}`, undefined, { token: tester.token }))).status;
		for (let i = 0; i < 100 && (await statusOf()) !== "completed"; i++) await new Promise((r) => setTimeout(r, 20));
		expect(await statusOf()).toBe("completed");
	});
});
