import * as v from "valibot";
import { CallingConfig } from "./calling-config";
import { FaultPlan } from "./fault-plan";
import { graphTypeName } from "./odata-type-name";
import { isTerminal, OperationStatus } from "./operation-status";
import { ResultInfo } from "./result-info";
import { invalid, issuesToDetails } from "./validation-error";

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;

/** https anywhere; plain http only to this machine (a bot under test next to `npm start`). */
export const CallbackUri = v.pipe(
	v.string("must be a string"),
	v.url("must be an absolute URL"),
	v.check((input) => {
		const url = new URL(input);
		return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname));
	}, "must be https, or http to a loopback address (127.0.0.1, localhost, [::1])"),
);

const AfterMs = v.pipe(
	v.number("must be a number of milliseconds"),
	v.integer("must be a whole number of milliseconds"),
	v.minValue(0, "must be at least 0"),
	v.maxValue(3_600_000, "must be at most 3600000 (one hour)"),
);

const Step = v.strictObject({
	status: OperationStatus,
	afterMs: AfterMs,
	resultInfo: v.optional(ResultInfo),
	completionReason: v.optional(v.string("must be a string")),
});
export type ProgressionStep = v.InferOutput<typeof Step>;

/** The statuses an operation passes through, each `afterMs` after the one before; terminal only last. */
const Script = v.pipe(
	v.array(Step, "must be an array of steps"),
	v.maxLength(10, "must have at most 10 steps"),
	v.check(
		(steps) => steps.every((step, i) => i === steps.length - 1 || !isTerminal(step.status)),
		"only the last step may be Completed or Failed",
	),
);
export type ProgressionScript = v.InferOutput<typeof Script>;

const ScriptsByType = v.pipe(
	v.record(
		v.pipe(
			v.string(),
			v.check(
				(key) => graphTypeName(key) !== undefined,
				"keys must be operation types like #microsoft.graph.playPromptOperation",
			),
		),
		Script,
	),
	v.transform((byType) =>
		Object.fromEntries(Object.entries(byType).map(([key, script]) => [graphTypeName(key), script])),
	),
);

export const StubConfig = v.strictObject({
	callbackUri: v.optional(CallbackUri),
	callbackToken: v.optional(v.pipe(v.string("must be a string"), v.maxLength(4096, "must be at most 4096 characters"))),
	progression: v.optional(v.strictObject({ default: v.optional(Script), byType: v.optional(ScriptsByType) })),
	faults: v.optional(FaultPlan),
	calling: v.optional(CallingConfig),
});
export type StubConfig = v.InferOutput<typeof StubConfig>;

export function parseStubConfig(body: Record<string, unknown>): StubConfig {
	const result = v.safeParse(StubConfig, body, { abortEarly: false });
	if (!result.success) throw invalid("configuration", issuesToDetails(result.issues));
	return result.output;
}

/** The script for an operation of `typeName` (without `#microsoft.graph.`), if any. */
export const scriptFor = (config: StubConfig | undefined, typeName: string): ProgressionScript =>
	config?.progression?.byType?.[typeName] ?? config?.progression?.default ?? [];
