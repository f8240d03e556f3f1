-- The meetings of one tester namespace, numbered in the order they were made (AUTOINCREMENT: never
-- reused), so that /_stub/meetings pages by number in O(page) and a namespace holds a bounded number
-- (MEETINGS_PER_NAMESPACE). A meeting's object lists itself when it is made and unlists itself when it
-- is deleted or expires.
CREATE TABLE meetings (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	meeting_id TEXT NOT NULL UNIQUE,
	listed_at TEXT NOT NULL
);
