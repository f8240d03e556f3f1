-- A call now registers with its namespace once per object instance, before its first write (to learn
-- the namespace's configuration), so the flag that skipped re-registering is no longer read.
ALTER TABLE call_info DROP COLUMN registered;
