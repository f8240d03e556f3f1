-- Every distinct participant a meeting call's rosters showed, as [{id, identity}] in first-seen order
-- (at most MAX_RECORD_PARTICIPANTS): its call record lists them all, also those who left before the
-- call ended (the last roster alone would lose them). A call linked before this migration starts empty.
ALTER TABLE call_meeting ADD COLUMN seen TEXT NOT NULL DEFAULT '[]';
