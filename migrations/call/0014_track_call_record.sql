-- What the call's record (GET /communications/callRecords/{callChainId}) needs beyond the call: when it
-- was first established (the record's start; NULL: never), and whether its record has been filed with
-- the namespace's registry (0 not yet, 1 filed or being filed).
ALTER TABLE call_resource ADD COLUMN established_at TEXT;
ALTER TABLE call_resource ADD COLUMN record_filed INTEGER NOT NULL DEFAULT 0;
-- A call that ended before this migration files no record (its establishment time was never kept).
UPDATE call_resource SET record_filed = 1 WHERE state = 'terminated';
