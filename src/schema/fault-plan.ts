import * as v from "valibot";

/** The actions that make operations: each is a fault route of its own, named after it. */
export const ACTION_ROUTES = [
	"playPrompt",
	"recordResponse",
	"cancelMediaProcessing",
	"subscribeToTone",
	"sendDtmfTones",
	"updateRecordingStatus",
	"mute",
	"unmute",
	"changeScreenSharingRole",
	"addLargeGalleryView",
	"invite",
	"participantMute",
	"startHoldMusic",
	"stopHoldMusic",
	"startRecording",
	"stopRecording",
	"startTranscription",
	"stopTranscription",
	"admitFromLobby",
	"removeFromLobby",
	"admitAllFromLobby",
	"muteAll",
] as const;
export type ActionRoute = (typeof ACTION_ROUTES)[number];

export const FAULT_ROUTES = ["create", "get", "list", "count", "patch", "delete", ...ACTION_ROUTES] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

const Whole = (min: number, max: number) =>
	v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(min), v.maxValue(max));

const Latency = v.union(
	[Whole(0, 30_000), v.strictObject({ min: Whole(0, 30_000), max: Whole(0, 30_000) })],
	"must be milliseconds (0–30000) or {min, max}",
);

/**
 * One rule: which requests it matches (route, default any), when it fires (the nth matching requests,
 * or with a seeded probability, or always), and what it does (an error status, or added latency).
 */
const FaultRule = v.pipe(
	v.strictObject({
		route: v.optional(v.picklist([...FAULT_ROUTES, "any"], `must be one of ${FAULT_ROUTES.join(", ")}, any`), "any"),
		nth: v.optional(
			v.union(
				[Whole(1, 1_000_000), v.pipe(v.array(Whole(1, 1_000_000)), v.maxLength(100, "must list at most 100 counts"))],
				"must be a count or an array of at most 100 counts",
			),
		),
		probability: v.optional(v.pipe(v.number("must be a number"), v.minValue(0), v.maxValue(1))),
		status: v.optional(v.picklist([429, 500, 503], "must be 429, 500 or 503")),
		retryAfterSeconds: v.optional(Whole(0, 3600)),
		latencyMs: v.optional(Latency),
	}),
	v.check(
		(rule) => (rule.status === undefined) !== (rule.latencyMs === undefined),
		"needs exactly one of status, latencyMs",
	),
	v.check((rule) => rule.nth === undefined || rule.probability === undefined, "takes nth or probability, not both"),
);
export type FaultRule = v.InferOutput<typeof FaultRule>;

export const FaultPlan = v.strictObject({
	seed: v.optional(Whole(0, 2 ** 32 - 1), 1),
	rules: v.pipe(v.array(FaultRule, "must be an array of rules"), v.maxLength(20, "must have at most 20 rules")),
});
export type FaultPlan = v.InferOutput<typeof FaultPlan>;
