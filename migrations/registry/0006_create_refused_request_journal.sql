-- The requests of this namespace refused in the Worker before they reached a call (a path, query or body
-- that fails validation, an unknown route, a body too large; never a 401, which names no namespace), for
-- GET /_stub/requests to show beside the calls' own journals. The same shape and bounds as a call's
-- request_journal (migrations/call/0008): the newest requestJournal.keep of the namespace's configuration
-- (default 1000), one row written per request; the Authorization header never kept, callbackToken redacted.
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
