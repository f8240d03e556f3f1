-- One meeting (namespace + chat thread): its settings as JSON, the last roster sequence number handed
-- out, and the next media sourceId (unique within the meeting).
CREATE TABLE meeting (
	only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
	body TEXT NOT NULL,
	roster_seq INTEGER NOT NULL DEFAULT 0,
	next_source_id INTEGER NOT NULL DEFAULT 1001,
	created_at TEXT NOT NULL
);

-- The roster, in join order (seq). A person the tester named carries its `person_key`; the bot of a
-- joined call carries its `call_id`. Bounded by the meeting's maxParticipants.
CREATE TABLE meeting_participants (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	person_key TEXT UNIQUE,
	call_id TEXT UNIQUE,
	body TEXT NOT NULL
);

-- Each change of the roster, in order: the whole roster after it and the participants it changed
-- (a departed one with its removedState). Kept until every joined call has it, at most a bounded tail.
CREATE TABLE roster_changes (
	seq INTEGER PRIMARY KEY,
	roster TEXT NOT NULL,
	changed TEXT NOT NULL
);

-- The calls joined to the meeting and the last change each has taken. `ready`: the call object exists
-- (the Worker creates it after the join), so changes may be sent to it. `lobby_until`: the bot waits
-- in the lobby until then (ms), and is removed at that time unless admitted.
CREATE TABLE meeting_calls (
	call_id TEXT PRIMARY KEY,
	ready INTEGER NOT NULL DEFAULT 0,
	delivered_seq INTEGER NOT NULL DEFAULT 0,
	joined_at INTEGER NOT NULL,
	lobby_until INTEGER
);

-- The meeting's script (the tester's far side, unattended): each step by its index in the script, when
-- it is due (ms), what it does (JSON), and whether it ran or was skipped (and why). At most 1000 steps.
CREATE TABLE meeting_script (
	seq INTEGER PRIMARY KEY,
	due_at INTEGER NOT NULL,
	step TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'skipped')),
	message TEXT
);
CREATE INDEX meeting_script_due ON meeting_script (state, due_at, seq);
