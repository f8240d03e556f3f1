-- Calls numbered in the order they registered (AUTOINCREMENT: a number is never handed out twice, not
-- even after the newest call is forgotten), so that /_stub/calls pages by number, newest first, in
-- O(page), and a reset of every call covers exactly the calls numbered up to a mark.
CREATE TABLE calls_numbered (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	call_id TEXT NOT NULL UNIQUE,
	registered_at TEXT NOT NULL
);
INSERT INTO calls_numbered (call_id, registered_at) SELECT call_id, registered_at FROM calls ORDER BY registered_at, call_id;
DROP TABLE calls;
ALTER TABLE calls_numbered RENAME TO calls;
-- The fan-outs still under way, at most one per kind, so that one cut off by an eviction is resumed
-- (by the registry's alarm) where it stopped. 'reset': every call numbered up to `through_seq` is being
-- removed (each one's row goes when it is). 'config': the namespace default is being pushed to the calls
-- numbered below `cursor`; `generation` moves when a newer default restarts the push.
CREATE TABLE fan_outs (
	kind TEXT PRIMARY KEY CHECK (kind IN ('reset', 'config')),
	namespace TEXT NOT NULL,
	through_seq INTEGER NOT NULL DEFAULT 0,
	cursor INTEGER NOT NULL DEFAULT 0,
	generation INTEGER NOT NULL DEFAULT 1
);
