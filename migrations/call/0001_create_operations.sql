-- One call's operations. `seq` is the call's write order: AUTOINCREMENT never reuses a number,
-- even after a delete. `body` is the operation's JSON as served, minus `@odata.context`.
CREATE TABLE operations (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	body TEXT NOT NULL
);

-- The call itself: one row from its first write on. `registered` is set once the namespace's
-- registry knows the call.
CREATE TABLE call_info (
	only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
	namespace TEXT NOT NULL,
	call_id TEXT NOT NULL,
	last_activity TEXT NOT NULL,
	registered INTEGER NOT NULL DEFAULT 0
);
