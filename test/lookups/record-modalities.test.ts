import { describe, expect, it } from "vitest";
import { callRecordOf } from "../../src/calls/call-record";

// A callRecord's modalities (and each session's) name each modality once, as the merge of two records
// already does: a call that asked for "audio" twice (the schema takes requestedModalities as sent) was
// recorded with ["audio", "audio"].

describe("a call record's modalities", () => {
	it("names a modality the call asked for twice once, on the record and on its session", () => {
		const at = "2026-12-07T00:00:00.000Z";
		const record = callRecordOf(
			{
				callChainId: "chain-1",
				document: {
					requestedModalities: ["audio", "audio", "video", "audio"],
					source: { identity: { application: { id: "bot", displayName: "Calling Bot" } } },
					targets: [{ identity: { user: { id: "u1", displayName: "U" } } }],
				},
				createdAt: at,
				establishedAt: at,
				endedAt: at,
			},
			at,
		);
		expect(record.modalities).toEqual(["audio", "video"]);
		expect(record.sessions.map((session) => session.modalities)).toEqual([["audio", "video"]]);
	});
});
