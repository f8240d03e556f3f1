-- The participant a bot put on hold (startHoldMusic): its streams are shown `inactive` while held, and
-- get back the directions kept here (JSON: sourceId → direction) when taken off (stopHoldMusic). At most
-- one participant is held at a time (Graph's rule); rows of participants who left are dropped.
CREATE TABLE meeting_holds (
	participant_id TEXT PRIMARY KEY,
	directions TEXT NOT NULL
);
