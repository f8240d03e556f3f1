-- A call's lifecycle, kept in its call_info row. The row is now made when the call first registers with
-- its namespace (its first create, or its first configuration), so a configured call expires like a
-- written one. `written`: the call exists (it has had a write); `registered`: the namespace's registry
-- knows this incarnation (a reset or an expiry wipes the row, and the next write registers again);
-- `deleted_operations`: with the operations table's AUTOINCREMENT counter, the operation count without
-- reading every row.
ALTER TABLE call_info ADD COLUMN written INTEGER NOT NULL DEFAULT 1;
ALTER TABLE call_info ADD COLUMN registered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE call_info ADD COLUMN deleted_operations INTEGER NOT NULL DEFAULT 0;
UPDATE call_info SET deleted_operations =
	COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'operations'), 0) - (SELECT COUNT(*) FROM operations);
