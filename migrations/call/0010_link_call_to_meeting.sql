-- A call joined to a meeting: which meeting object, the last roster change it took (rosterSequenceNumber)
-- and that roster as JSON (served by GET …/participants and sent on connect), whether the bot asked for
-- the delta roster, and whether the meeting has been told that the call ended.
CREATE TABLE call_meeting (
	only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
	meeting_name TEXT NOT NULL,
	delta INTEGER NOT NULL,
	roster_seq INTEGER NOT NULL DEFAULT 0,
	roster TEXT NOT NULL DEFAULT '[]',
	told_left INTEGER NOT NULL DEFAULT 0
);
