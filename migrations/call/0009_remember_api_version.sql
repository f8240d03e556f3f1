-- The Graph version a call's notifications are shaped for (each version declares its own properties):
-- the version its create came through, or for an incoming call the one its answer came through (until
-- then the one the tester named, v1.0 by default). Operations made through the operations collection
-- have no call resource: each planned transition remembers the version of the write that planned it.
ALTER TABLE call_resource ADD COLUMN api_version TEXT NOT NULL DEFAULT 'v1.0';
ALTER TABLE transitions ADD COLUMN api_version TEXT NOT NULL DEFAULT 'v1.0';
