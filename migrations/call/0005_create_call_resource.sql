-- The call resource itself, for a call created by POST /communications/calls or started as an incoming
-- call: one row. `body` is the call's JSON as served (minus `@odata.context`); `state` and
-- `callback_uri` repeat what the state machine reads on every request. A callId used only through the
-- operations collection has no row here.
CREATE TABLE call_resource (
	only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
	state TEXT NOT NULL,
	direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
	callback_uri TEXT,
	body TEXT NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- The call's participants (the bot's own leg, the caller, the targets), bounded by the targets a
-- create accepts.
CREATE TABLE call_participants (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	body TEXT NOT NULL
);

-- The call's own timers (state steps, answer timeout, keep-alive expiry); the call's one alarm also
-- wakes for the earliest. At most a handful at a time: a terminated call has none.
CREATE TABLE call_timers (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	due_at INTEGER NOT NULL,
	kind TEXT NOT NULL,
	detail TEXT NOT NULL
);
CREATE INDEX call_timers_by_due ON call_timers (due_at, id);

-- The outbox carries call-state notifications beside operation ones, in one order. `resource_url` is
-- set for a notification about the call itself (operation_id is then ''); `callback_uri` is where that
-- notification goes (the call's callbackUri when it was sent), NULL meaning the configured callbackUri.
ALTER TABLE outbox ADD COLUMN resource_url TEXT;
ALTER TABLE outbox ADD COLUMN callback_uri TEXT;
