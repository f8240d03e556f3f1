import type { CallingSettings } from "../../schema/calling-config";

/** What a step of the state machine knows besides the call: the time, and the calling settings in force. */
export type CallContext = { nowMs: number; nowIso: string; calling: CallingSettings };
