-- The content sharing sessions a meeting call sees: one per participant of its roster who shares their
-- screen (a videoBasedScreenSharing stream it sends), named by an id the call gives it when it first sees
-- the share. Bounded by the roster (one per presenter).
CREATE TABLE content_sharing_sessions (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	presenter_id TEXT NOT NULL UNIQUE,
	source_id TEXT NOT NULL
);
