import * as v from "valibot";

// The `callRecords` section of the configuration (namespace default or per call): how long after a call
// ends its record becomes readable (Graph takes minutes; the stub 2 s unless told), and where a
// notification announcing it goes (*inferred*: a stand-in for a change-notification subscription).

export const DEFAULT_CALL_RECORD_DELAY_MS = 2000;
const MAX_CALL_RECORD_DELAY_MS = 3_600_000;

export const CallRecordDelayMs = v.pipe(
	v.number("must be a number of milliseconds"),
	v.integer("must be a whole number of milliseconds"),
	v.minValue(0, "must be at least 0"),
	v.maxValue(MAX_CALL_RECORD_DELAY_MS, `must be at most ${MAX_CALL_RECORD_DELAY_MS} (one hour)`),
);
