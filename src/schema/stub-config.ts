import * as v from "valibot";
import { isLoopback, type Settings } from "../settings/parse-settings";
import { builtPerPolicy } from "./built-per-policy";
import { CallRecordDelayMs } from "./call-records-config";
import { CallingConfig } from "./calling-config";
import { completionReasonRefusal } from "./derived-operation-types";
import { FaultPlan } from "./fault-plan";
import { NotificationOptions } from "./notification-options";
import { graphTypeName } from "./odata-type-name";
import { isTerminal, OperationStatus } from "./operation-status";
import { ResultInfo } from "./result-info";
import { parsedOrInvalid } from "./validation-error";

/** Who may receive notifications (docs/contract.md, "Callbacks go only where allowed"): from the parsed settings. */
export type CallbackPolicy = Pick<Settings, "local" | "callbackHosts">;

const parseUrl = (text: string): URL | undefined => {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
};

/** Why `callbackUri` may not receive notifications under `policy`, or undefined when it may. */
export function callbackRefusal(callbackUri: string, policy: CallbackPolicy): string | undefined {
	const url = parseUrl(callbackUri);
	if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) return "must be an absolute http(s) URL";
	if (url.username || url.password) return "must not carry a user name or password";
	const host = url.hostname.toLowerCase();
	// Served on this machine, the bot under test next to it is always reachable, http or https.
	if (policy.local && isLoopback(host)) return undefined;
	if (url.protocol !== "https:")
		return policy.local
			? "must be https, or http to a loopback address (127.0.0.1, localhost, [::1])"
			: "must be https";
	if (!policy.callbackHosts.length)
		return policy.local
			? `may only name a loopback host unless CALLBACK_HOSTS lists '${host}'`
			: "no callback host is allowed: this deployment's CALLBACK_HOSTS setting is empty";
	const allowed = policy.callbackHosts.some((pattern) =>
		pattern.startsWith(".") ? host.endsWith(pattern) && host.length > pattern.length : host === pattern,
	);
	return allowed ? undefined : `host '${host}' is not in this deployment's CALLBACK_HOSTS setting`;
}

/** A callbackUri allowed under `policy`: for the configuration, and for the call's own bodies (create, answer …). */
export const callbackUri = (policy: CallbackPolicy) =>
	v.pipe(
		v.string("must be a string"),
		v.maxLength(2048, "must be at most 2048 characters"),
		v.rawCheck(({ dataset, addIssue }) => {
			const refusal = dataset.typed ? callbackRefusal(dataset.value, policy) : undefined;
			if (refusal) addIssue({ message: refusal });
		}),
	);

/** Sent as `Authorization: Bearer …` with each notification: printable ASCII only, so a header can carry it. */
const CallbackToken = v.pipe(
	v.string("must be a string"),
	v.minLength(1, "must not be empty"),
	v.maxLength(4096, "must be at most 4096 characters"),
	v.regex(/^[\x21-\x7e]*$/, "must be printable ASCII without spaces or control characters"),
);

/** The bearer's `aud` and `tid` when the configuration names none: all zeros, so a real bot's check fails loudly. */
export const DEFAULT_BOT_APP_ID = "00000000-0000-0000-0000-000000000000";
export const DEFAULT_TENANT_ID = "00000000-0000-0000-0000-000000000000";

const Guid = (what: string) =>
	v.pipe(
		v.string("must be a string"),
		v.regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, `must be ${what} (a GUID)`),
		v.toLowerCase(),
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
	v.check((byType) => Object.keys(byType).length <= 50, "must name at most 50 operation types"),
	v.check(
		(byType) =>
			Object.entries(byType).every(([key, script]) =>
				script.every(
					(step) =>
						step.completionReason === undefined ||
						completionReasonRefusal(graphTypeName(key) ?? "", step.completionReason) === undefined,
				),
			),
		"each step's completionReason must be one its operation type allows",
	),
	v.transform((byType) =>
		Object.fromEntries(Object.entries(byType).map(([key, script]) => [graphTypeName(key), script])),
	),
);

/** Bounded: each entry keeps up to 32 KiB of bodies. */
export const MAX_JOURNAL_KEEP = 5000;
const JournalKeep = v.pipe(
	v.number("must be a number"),
	v.integer("must be a whole number"),
	v.minValue(1, "must be at least 1"),
	v.maxValue(MAX_JOURNAL_KEEP, `must be at most ${MAX_JOURNAL_KEEP}`),
);

export const stubConfigSchema = (policy: CallbackPolicy) =>
	v.strictObject({
		callbackUri: v.optional(callbackUri(policy)),
		callbackToken: v.optional(CallbackToken),
		/** The `aud` of the stub-signed bearer on each notification (when no callbackToken is set). */
		botAppId: v.optional(Guid("the bot's application id")),
		/** The `tid` of that bearer. */
		tenantId: v.optional(Guid("a tenant id")),
		progression: v.optional(v.strictObject({ default: v.optional(Script), byType: v.optional(ScriptsByType) })),
		faults: v.optional(FaultPlan),
		calling: v.optional(CallingConfig),
		/** The notification POSTs: batching, the User-Agent. */
		notifications: v.optional(NotificationOptions),
		/**
		 * The call's request journal: how many of the newest requests it keeps (default 1000), and whether it
		 * keeps GETs (default true; false: a read writes nothing).
		 */
		requestJournal: v.optional(
			v.strictObject({ keep: v.optional(JournalKeep), reads: v.optional(v.boolean("must be true or false")) }),
		),
		/** An ended call's record: its delay, and where a notification announces it (src/schema/call-records-config.ts). */
		callRecords: v.optional(
			v.strictObject({ delayMs: v.optional(CallRecordDelayMs), notificationUrl: v.optional(callbackUri(policy)) }),
		),
	});
export type StubConfig = v.InferOutput<ReturnType<typeof stubConfigSchema>>;

// One schema per settings object (so, per isolate): the callback rule depends on the deployment.
const schemas = builtPerPolicy(stubConfigSchema);

export const parseStubConfig = (body: Record<string, unknown>, policy: CallbackPolicy): StubConfig =>
	parsedOrInvalid(schemas(policy), body, "configuration");

/** A configuration as the tester may read it back: the callbackToken is write-only. */
export type StubConfigView = Omit<StubConfig, "callbackToken"> & { callbackTokenSet?: true };

export function redactConfig(config: StubConfig): StubConfigView;
export function redactConfig(config: StubConfig | null | undefined): StubConfigView | null;
export function redactConfig(config: StubConfig | null | undefined): StubConfigView | null {
	if (!config) return null;
	const { callbackToken, ...rest } = config;
	return callbackToken === undefined ? rest : { ...rest, callbackTokenSet: true };
}

/** The script for an operation of `typeName` (without `#microsoft.graph.`), if any. */
export const scriptFor = (config: StubConfig | undefined, typeName: string): ProgressionScript =>
	config?.progression?.byType?.[typeName] ?? config?.progression?.default ?? [];
