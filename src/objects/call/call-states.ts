/**
 * The one description of a call's states and of what may move it: each request a bot or tester sends,
 * and each step the call takes by itself on a timer, with the states it may act in and the state it
 * leads to. The state machine (call-machine.ts, call-timers.ts) refuses anything this table does not
 * allow; the tests read the same table.
 */

/** Graph's callState values that the stub reaches (v1.0 also has hold and redirecting; beta ringing). */
export const CALL_STATES = [
	"incoming",
	"establishing",
	"established",
	"transferring",
	"transferAccepted",
	"terminating",
	"terminated",
] as const;
export type CallState = (typeof CALL_STATES)[number];

/** Every state but terminated: a call the bot can still act on. */
const LIVE = ["incoming", "establishing", "established", "transferring", "transferAccepted"] as const;

type Move = { from: readonly CallState[]; to: CallState | "unchanged"; inferred?: true };

/** What a request to the call may do. Anything else is 400 (*inferred*); on a terminated call, 404 8522. */
export const CALL_REQUESTS = {
	answer: { from: ["incoming"], to: "establishing" },
	reject: { from: ["incoming"], to: "terminated" },
	redirect: { from: ["incoming"], to: "terminated" },
	transfer: { from: ["established"], to: "transferring" },
	keepAlive: { from: ["establishing", "established", "transferring", "transferAccepted"], to: "unchanged" },
	/** DELETE /calls/{id}: the bot hangs up (terminating, then terminated 200/5001). */
	hangUp: { from: LIVE, to: "terminated" },
	/** POST /_stub/calls/{id}/hangup: the far side leaves (terminated, 200/5002 by default). */
	farHangUp: { from: LIVE, to: "terminated" },
} as const satisfies Record<string, Move>;
export type CallRequest = keyof typeof CALL_REQUESTS;

/** What the call does by itself when one of its timers is due; a timer whose call moved on does nothing. */
export const CALL_TIMERS = {
	established: { from: ["establishing"], to: "established" },
	audioActive: { from: ["established"], to: "established" },
	setupFailed: { from: ["establishing"], to: "terminated" },
	answerTimeout: { from: ["incoming"], to: "terminated", inferred: true },
	keepAliveExpired: { from: LIVE, to: "terminated" },
	transferAccepted: { from: ["transferring"], to: "transferAccepted" },
	transferCompleted: { from: ["transferAccepted"], to: "terminated" },
	transferFailed: { from: ["transferring"], to: "established" },
	/** An action's operation finishes (a prompt played, a recording ended …): src/objects/media/. */
	operationFinished: { from: LIVE, to: "unchanged" },
	/** A key the caller presses later (POST /_stub/calls/{id}/tones with delayMs). */
	tonePressed: { from: LIVE, to: "unchanged" },
	/** A compliance recorder that has not reported `recording` in time (recorder-link.ts; *inferred*). */
	recordingDeadline: { from: ["establishing", "established"], to: "unchanged", inferred: true },
} as const satisfies Record<string, Move>;
export type CallTimer = keyof typeof CALL_TIMERS;

export const mayAct = (move: Move, state: CallState) => move.from.includes(state);

export const isCallTimer = (kind: string): kind is CallTimer => Object.hasOwn(CALL_TIMERS, kind);
