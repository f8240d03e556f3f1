-- A call that rings a compliance-recording bot (POST /_stub/compliance-calls): how long the bot has to
-- report `recording` once it answered, whether it answered, the last recording status it reported, and
-- what its observed call (a meeting object, linked in call_meeting) has not heard yet, in order (JSON).
CREATE TABLE call_recorder (
	only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
	recording_timeout_ms INTEGER,
	answered INTEGER NOT NULL DEFAULT 0,
	recording_status TEXT,
	news TEXT NOT NULL DEFAULT '[]'
);
