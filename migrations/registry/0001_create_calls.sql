-- The calls of one tester namespace, so that a tester can list and reset all of them.
CREATE TABLE calls (
	call_id TEXT PRIMARY KEY,
	registered_at TEXT NOT NULL
);
