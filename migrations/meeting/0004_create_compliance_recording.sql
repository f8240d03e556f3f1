-- A meeting made as the observed call of a compliance (policy-based) recording: who is observed, the
-- recording application's policy flags and deadlines, the recorder's call and how far it got, and how
-- the observed call ended (JSON). One row: a compliance call makes its own meeting.
CREATE TABLE compliance_recording (
	only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
	recorder_call_id TEXT NOT NULL,
	body TEXT NOT NULL
);
