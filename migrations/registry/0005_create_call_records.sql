-- The call records of the namespace's ended calls, by id (the calls' callChainId): the callRecord with
-- its sessions and segments as JSON, readable from `available_at` (ms: the configured delay after the
-- call ended) until `expires_at` (the call TTL after that). At most 1000: the oldest (by seq) go first.
CREATE TABLE call_records (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	body TEXT NOT NULL,
	available_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX call_records_by_expiry ON call_records (expires_at);
