import * as v from "valibot";
import { RECORD_COMPLETION_REASONS } from "./derived-operation-types";
import { ResultInfo, resultInfoOf } from "./result-info";

const Millis = (max: number, what: string) =>
	v.pipe(
		v.number("must be a number of milliseconds"),
		v.integer("must be a whole number of milliseconds"),
		v.minValue(0, "must be at least 0"),
		v.maxValue(max, `must be at most ${max} (${what})`),
	);

const HOUR = 3_600_000;

const RecordCompletionReason = v.picklist(
	RECORD_COMPLETION_REASONS,
	"must be a recordCompletionReason (maxRecordDurationReached, initialSilenceTimeout, maxSilenceTimeout …)",
);

/** A resultInfo that must be there (the shared schema also admits null). */
const GivenResultInfo = v.pipe(
	ResultInfo,
	v.check((info) => info !== null, "must be a resultInfo object"),
	v.transform((info) => info as NonNullable<typeof info>),
);

/**
 * The `calling` section of the configuration: how the calls themselves behave (namespace default or per
 * call, like the rest of the configuration).
 */
export const CallingConfig = v.strictObject({
	/** establishing → established (and then audio active), and each step of a transfer. */
	setupMs: v.optional(Millis(HOUR, "one hour")),
	/** How an outgoing call ends its setup: established, or terminated (an unreachable callee: 480/10076). */
	outcome: v.optional(
		v.union(
			[v.literal("established"), v.strictObject({ state: v.literal("terminated"), resultInfo: GivenResultInfo })],
			'must be "established" or {"state":"terminated","resultInfo":{…}}',
		),
	),
	/** How long an incoming call waits to be answered, rejected or redirected (Graph: 15 s). */
	answerTimeoutMs: v.optional(Millis(HOUR, "one hour")),
	/** The inactivity timer keepAlive refreshes (Graph: 45 minutes). */
	keepAliveTimeoutMs: v.optional(Millis(24 * HOUR, "24 hours")),
	/** How long each prompt of a playPrompt (or a recordResponse's prompt) plays. */
	promptMs: v.optional(Millis(HOUR, "one hour")),
	/** How long a recording lasts (never longer than the request's maxRecordDurationInSeconds). */
	recordMs: v.optional(Millis(120_000, "two minutes, Graph's longest recording")),
	/** How a recording that ran its full time ends (default maxRecordDurationReached, 200/8515). */
	recordOutcome: v.optional(v.strictObject({ completionReason: RecordCompletionReason, resultInfo: GivenResultInfo })),
	/** When the other running operations (sendDtmfTones, invite, hold music …) finish. */
	actionMs: v.optional(Millis(HOUR, "one hour")),
	/** How a transfer ends: completed (0/7015), or failed back to established with this resultInfo. */
	transferOutcome: v.optional(
		v.union(
			[v.literal("completed"), v.strictObject({ state: v.literal("failed"), resultInfo: GivenResultInfo })],
			'must be "completed" or {"state":"failed","resultInfo":{…}}',
		),
	),
});
export type CallingConfig = v.InferOutput<typeof CallingConfig>;

/** The calling settings with Graph's defaults filled in. */
export const callingDefaults = (config: CallingConfig | undefined) => ({
	setupMs: config?.setupMs ?? 1000,
	outcome: config?.outcome ?? "established",
	answerTimeoutMs: config?.answerTimeoutMs ?? 15_000,
	keepAliveTimeoutMs: config?.keepAliveTimeoutMs ?? 45 * 60_000,
	transferOutcome: config?.transferOutcome ?? "completed",
	promptMs: config?.promptMs ?? 1000,
	recordMs: config?.recordMs ?? 2000,
	recordOutcome: config?.recordOutcome ?? {
		completionReason: "maxRecordDurationReached",
		resultInfo: resultInfoOf(200, 8515, "Action completed, max record duration reached."),
	},
	actionMs: config?.actionMs ?? 1000,
});
export type CallingSettings = ReturnType<typeof callingDefaults>;
