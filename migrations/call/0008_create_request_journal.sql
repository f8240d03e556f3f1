-- Every request the call answered, in arrival order (`seq`), for the tester to read back and verify
-- (GET /_stub/calls/{id}/requests). The newest N are kept (the configuration's requestJournal.keep,
-- default 1000): once full, a request's row overwrites the oldest in place (an UPDATE that moves it to
-- the new seq), so each request writes one row, full or not. Bodies are capped at 16 KiB (`*_cut` = 1
-- when cut); the Authorization header is never kept and callbackToken values are redacted before this.
-- `source`: bot (Graph's routes, a recording download) or tester (/_stub controls). `fault`: the fault
-- plan's injected error as JSON ({status, retryAfterSeconds}), NULL when none.
CREATE TABLE request_journal (
	seq INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('bot', 'tester')),
	method TEXT NOT NULL,
	path TEXT NOT NULL,
	query TEXT NOT NULL,
	route TEXT NOT NULL,
	status INTEGER NOT NULL,
	outcome TEXT NOT NULL,
	client_request_id TEXT NOT NULL,
	request_body TEXT,
	request_cut INTEGER NOT NULL DEFAULT 0,
	response_body TEXT,
	response_cut INTEGER NOT NULL DEFAULT 0,
	fault TEXT,
	delay_ms INTEGER NOT NULL DEFAULT 0
);
