-- The tester's configuration of this call: its own, and the namespace default pushed by the registry.
CREATE TABLE settings (
	only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
	own_config TEXT,
	inherited_config TEXT,
	scenario_id TEXT NOT NULL,
	-- After a throttling fault: requests before this time (ms since epoch) are Retry-After violations.
	throttled_until INTEGER NOT NULL DEFAULT 0
);

-- Scheduled status changes; the call's one alarm wakes for the earliest.
CREATE TABLE transitions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	operation_seq INTEGER NOT NULL,
	due_at INTEGER NOT NULL,
	step TEXT NOT NULL
);
CREATE INDEX transitions_by_due ON transitions (due_at, id);
CREATE INDEX transitions_by_operation ON transitions (operation_seq);

-- commsNotifications to the callbackUri, delivered strictly in id order, at least once.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	operation_id TEXT NOT NULL,
	change_type TEXT NOT NULL,
	payload TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX outbox_pending ON outbox (state, id);

CREATE TABLE delivery_attempts (
	notification_id INTEGER NOT NULL,
	attempt INTEGER NOT NULL,
	at TEXT NOT NULL,
	status INTEGER,
	error TEXT,
	PRIMARY KEY (notification_id, attempt)
);

-- How many requests each fault rule has matched so far (reset when the plan changes).
CREATE TABLE fault_counters (
	rule INTEGER PRIMARY KEY,
	matched INTEGER NOT NULL
);

-- Injected faults and Retry-After violations, for the tester to read.
CREATE TABLE journal (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	at TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('fault', 'violation')),
	route TEXT NOT NULL,
	detail TEXT NOT NULL
);
