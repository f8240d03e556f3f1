// What a bot's action on a meeting call asks the meeting to change (plain data across RPC): the Worker's
// action table (src/routes/graph-calls/operation-actions.ts) describes it, the call checks its own side,
// and the meeting applies it to the roster in its order (src/objects/meeting/bot-actions.ts).

export type BotAction =
	/** beta participants/{id}/admitFromLobby: someone waiting in the lobby comes in. */
	| { kind: "admitFromLobby"; participantId: string }
	/** beta participants/{id}/removeFromLobby: someone waiting in the lobby is turned away. */
	| { kind: "removeFromLobby"; participantId: string }
	/** beta participants/admitAllFromLobby: everyone waiting comes in. */
	| { kind: "admitAllFromLobby" }
	/** beta participants/muteAll: the participants named (none named: everyone but the acting bot). */
	| { kind: "muteAll"; participantIds: string[] }
	/** mute / unmute: the acting bot's own isMuted. */
	| { kind: "muteSelf"; muted: boolean }
	/** updateRecordingStatus: the acting bot's own recordingInfo. */
	| { kind: "recordingStatus"; status: string }
	/** startHoldMusic / stopHoldMusic on a participant. */
	| { kind: "hold"; participantId: string; on: boolean };

/** Why the meeting refused: the call is not (or no longer) joined to it, no such participant, or the action does not apply. */
export type BotActionRefusal =
	| { ok: false; error: "callNotJoined" }
	| { ok: false; error: "participantNotFound" }
	| { ok: false; error: "invalid"; message: string };

export type BotActionReply = { ok: true } | BotActionRefusal;
