-- A create wrote three rows: the operation, its id's index entry, and sqlite_sequence (AUTOINCREMENT).
-- The rule AUTOINCREMENT kept (a sequence number is never handed out twice, even after a delete) needs a
-- write only when a delete removes the call's highest operation: call_info.retired_seq keeps that number,
-- and a create takes max(retired_seq, MAX(seq)) + 1. So a create writes two rows, the fewest the
-- ordering and uniqueness rules allow.
CREATE TABLE operations_numbered (
	seq INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	body TEXT NOT NULL
);
INSERT INTO operations_numbered (seq, id, body) SELECT seq, id, body FROM operations;
ALTER TABLE call_info ADD COLUMN retired_seq INTEGER NOT NULL DEFAULT 0;
UPDATE call_info SET retired_seq = COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'operations'), 0);
DROP TABLE operations;
ALTER TABLE operations_numbered RENAME TO operations;
