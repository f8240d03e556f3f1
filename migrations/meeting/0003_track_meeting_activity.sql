-- When the meeting last changed (ms since the epoch): its creation, then every change of its roster
-- (whoever makes it: the far side, a script step, a bot's call joining or leaving, the lobby). Kept by
-- triggers, so that no path that changes the roster can forget to count. An idle meeting expires by it.
ALTER TABLE meeting ADD COLUMN last_activity_ms INTEGER;
CREATE TRIGGER meeting_made_is_activity AFTER INSERT ON meeting
BEGIN
	UPDATE meeting SET last_activity_ms = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;
CREATE TRIGGER roster_change_is_activity AFTER INSERT ON roster_changes
BEGIN
	UPDATE meeting SET last_activity_ms = CAST(unixepoch('subsec') * 1000 AS INTEGER);
END;
-- A meeting made before this migration counts from now.
UPDATE meeting SET last_activity_ms = CAST(unixepoch('subsec') * 1000 AS INTEGER);
