import { describe, expect, it, vi } from "vitest";
import { callUrl } from "../calls/helpers";
import { errorOf, send } from "../helpers/graph";
import { botAction, guest, twoBetaBots, viewOf } from "./bot-helpers";
import { type Participant, person, rosters } from "./helpers";

// A bot's lobby admit and its own hang-up at once: the meeting decides the order. Admitted first, the bot
// hears 200 and every other call sees the person admitted, then the bot leave; the hang-up first, the
// bot hears 404 (8522) and nothing changed.

const LOBBY = { enabled: true, bypass: "organization", timeoutMs: 3_600_000 };

async function meetingWithGina() {
	const bots = await twoBetaBots({ lobby: LOBBY, participants: [person("Alice"), guest("Gina")] });
	const gina = bots.meeting.participants[1]?.id ?? "";
	return { ...bots, gina };
}

const inLobby = (roster: Participant[] | undefined, id: string) => roster?.find((one) => one.id === id)?.isInLobby;
const present = (roster: Participant[] | undefined, id: string) => roster?.some((one) => one.id === id) === true;

/** B's rosters once A's bot has left them. */
async function untilGone(hook: string, botId: string) {
	let seen: Participant[][] = [];
	await vi.waitFor(
		async () => {
			seen = await rosters(hook, 1);
			expect(present(seen.at(-1), botId)).toBe(false);
		},
		{ timeout: 10_000, interval: 20 },
	);
	return seen;
}

describe("a lobby admit and the bot hanging up at once", { timeout: 40_000 }, () => {
	it("hang-up first: the admit is answered 404 (8522) and Gina still waits", async () => {
		const { tester, meeting, second, a, gina } = await meetingWithGina();
		expect((await send("DELETE", callUrl(a.id, "beta"), undefined, { token: tester.token })).status).toBe(204);
		const admit = await botAction(tester, a.id, `participants/${gina}/admitFromLobby`);
		expect(admit.status).toBe(404);
		expect((await errorOf(admit)).error.code).toBe("8522");
		await untilGone(second.hook, a.myParticipantId);
		expect(inLobby((await viewOf(tester, meeting.id)).participants as Participant[], gina)).toBe(true);
	});

	it("admit first: 200, and the other bot sees Gina admitted before the bot leaves", async () => {
		const { tester, second, a, gina } = await meetingWithGina();
		expect((await botAction(tester, a.id, `participants/${gina}/admitFromLobby`)).status).toBe(200);
		expect((await send("DELETE", callUrl(a.id, "beta"), undefined, { token: tester.token })).status).toBe(204);
		const seen = await untilGone(second.hook, a.myParticipantId);
		const admittedAt = seen.findIndex((roster) => inLobby(roster, gina) === false);
		expect(admittedAt).toBeGreaterThan(-1);
		expect(present(seen[admittedAt], a.myParticipantId)).toBe(true);
	});

	it("both at once, several times: whatever the order, the answer and every roster agree", async () => {
		for (let round = 0; round < 4; round++) {
			const { tester, meeting, second, a, gina } = await meetingWithGina();
			const admitting = () => botAction(tester, a.id, `participants/${gina}/admitFromLobby`);
			const hangingUp = () => send("DELETE", callUrl(a.id, "beta"), undefined, { token: tester.token });
			// Sent in either order (the one sent first usually, not always, arrives first).
			const [admit, hangUp] =
				round % 2 === 0
					? await Promise.all([admitting(), hangingUp()])
					: await Promise.all([hangingUp(), admitting()]).then(([hung, admitted]) => [admitted, hung] as const);
			expect(hangUp.status).toBe(204);
			expect([200, 404]).toContain(admit.status);
			const seen = await untilGone(second.hook, a.myParticipantId);
			const view = await viewOf(tester, meeting.id);
			const admitted = inLobby(view.participants as Participant[], gina) === false;
			// 200 exactly when the meeting admitted Gina; and then before A left (A is in the roster that shows it).
			expect(admitted).toBe(admit.status === 200);
			const admittedAt = seen.findIndex((roster) => inLobby(roster, gina) === false);
			if (admitted) expect(present(seen[admittedAt], a.myParticipantId)).toBe(true);
			else expect(admittedAt).toBe(-1);
		}
	});
});
