-- The operations the call's actions made (playPrompt, recordResponse, invite …) and how each finishes.
-- `queued`: in the call's media queue (playPrompt, recordResponse), which runs one at a time in
-- `position` order (a barge-in takes a position before the others). `state`: queued, running (its
-- finish is planned as a call timer) or done. Done rows beyond the newest 100 are dropped.
CREATE TABLE action_operations (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	operation_id TEXT NOT NULL UNIQUE,
	action TEXT NOT NULL,
	queued INTEGER NOT NULL,
	position INTEGER NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done')),
	started_at INTEGER,
	finish TEXT NOT NULL,
	-- Where this call's recordings are fetched from: `{origin}/_stub/recordings/{call key}.`
	recording_base TEXT NOT NULL
);
CREATE INDEX action_operations_queue ON action_operations (state, position);

-- Tones the call hears: whether the bot subscribed, and the last toneInfo sequenceId sent.
CREATE TABLE call_media (
	only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
	tones_subscribed INTEGER NOT NULL DEFAULT 0,
	tone_sequence INTEGER NOT NULL DEFAULT 0,
	-- 16 kHz mono 16-bit PCM the tester supplied for the next recording (PUT /_stub/calls/{id}/recording).
	next_audio BLOB
);

-- Finished recordings, fetched with their access token; at most 5 per call (older ones are dropped).
CREATE TABLE recordings (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	token TEXT NOT NULL,
	duration_ms INTEGER NOT NULL,
	pcm BLOB
);
