import * as v from "valibot";
import type { ErrorDetail } from "../http/graph-error";
import { API_VERSIONS } from "./api-version";
import { builtPerPolicy } from "./built-per-policy";
import { Modalities } from "./call-parts";
import { PersonBody } from "./meeting";
import { Key } from "./scalars";
import { type CallbackPolicy, callbackUri } from "./stub-config";
import { fieldIssue, invalid, issuesToDetails } from "./validation-error";

// POST /_stub/compliance-calls (a stub extension): a call that a Teams recording policy says must be
// recorded. Strict objects, every failing field named in one 400.

const Ms = (max: number) =>
	v.pipe(
		v.number("must be a number"),
		v.integer("must be a whole number"),
		v.minValue(0, `must be 0 to ${max}`),
		v.maxValue(max, `must be 0 to ${max}`),
	);
const Flag = v.optional(v.boolean("must be a boolean"));

/** The recording application's flags as Teams names them (New-CsTeamsComplianceRecordingApplication); all default true. */
const RecordingPolicy = v.strictObject(
	{
		name: v.optional(v.pipe(v.string("must be a string"), v.maxLength(256, "must be at most 256 characters"))),
		requiredBeforeCallEstablishment: Flag,
		requiredDuringCall: Flag,
		requiredBeforeMeetingJoin: Flag,
		requiredDuringMeeting: Flag,
	},
	"must be a policy object",
);

const COMPLIANCE_KINDS = ["oneToOne", "meeting"] as const;
const MAX_OBSERVED_PEOPLE = 20;

export const complianceCallSchema = (policy: CallbackPolicy) =>
	v.strictObject(
		{
			/** The recording bot's notification URL (else the namespace's configured one). */
			callbackUri: v.optional(callbackUri(policy)),
			kind: v.optional(v.picklist(COMPLIANCE_KINDS, `must be one of ${COMPLIANCE_KINDS.join(", ")}`)),
			participants: v.optional(
				v.pipe(
					v.array(PersonBody, "must be an array of person objects"),
					v.minLength(2, "must have at least 2 people"),
					v.maxLength(MAX_OBSERVED_PEOPLE, `must have at most ${MAX_OBSERVED_PEOPLE} people`),
				),
			),
			/** A meeting made with POST /_stub/meetings to observe instead of a new call (then no participants). */
			meeting: v.optional(Key),
			/**
			 * The key of the person under the policy (the observed participant); the first person when not given.
			 * With `meeting`: required, a key or participant id of someone in that meeting.
			 */
			observedKey: v.optional(Key),
			policy: v.optional(RecordingPolicy),
			answerTimeoutMs: v.optional(Ms(3_600_000)),
			recordingTimeoutMs: v.optional(v.nullable(Ms(3_600_000))),
			tenantId: v.optional(v.nullable(v.pipe(v.string("must be a string"), v.maxLength(128)))),
			subject: v.optional(v.nullable(v.pipe(v.string("must be a string"), v.maxLength(1024)))),
			requestedModalities: v.optional(Modalities("beta")),
			apiVersion: v.optional(v.picklist(API_VERSIONS, `must be one of ${API_VERSIONS.join(", ")}`)),
		},
		"must be a compliance call object",
	);
export type ComplianceCallBody = v.InferOutput<ReturnType<typeof complianceCallSchema>>;

const schemas = builtPerPolicy(complianceCallSchema);

/** What the body says of itself that its schema cannot: read from the raw body, so they join the schema's issues. */
function crossIssues(body: unknown): { issues: ErrorDetail[]; observed: number } {
	const raw = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
	const people = Array.isArray(raw.participants) ? (raw.participants as unknown[]) : undefined;
	const issues: ErrorDetail[] = [];
	if (raw.meeting !== undefined) {
		// An existing meeting is observed: its people are already in it; the observed one is named.
		if (raw.participants !== undefined)
			issues.push(fieldIssue("participants", "not with meeting (its people are in it)"));
		if (raw.kind !== undefined && raw.kind !== "meeting")
			issues.push(fieldIssue("kind", "must be meeting with meeting"));
		if (raw.observedKey === undefined) issues.push(fieldIssue("observedKey", "required with meeting"));
		return { issues, observed: -1 };
	}
	if (raw.participants === undefined) issues.push(fieldIssue("participants", "required (or give meeting)"));
	if (!people) return { issues, observed: 0 };
	if ((raw.kind ?? "oneToOne") === "oneToOne" && people.length !== 2)
		issues.push(fieldIssue("participants", "a oneToOne call has exactly 2 people (use kind meeting for more)"));
	const keys = people.map((person) =>
		typeof person === "object" && person !== null ? (person as { key?: unknown }).key : undefined,
	);
	keys.forEach((key, i) => {
		if (typeof key === "string" && keys.indexOf(key) !== i)
			issues.push(fieldIssue(`participants[${i}].key`, `'${key}' is already used by another person`));
	});
	const observed = typeof raw.observedKey === "string" ? keys.indexOf(raw.observedKey) : 0;
	if (observed < 0) issues.push(fieldIssue("observedKey", `no person has the key '${String(raw.observedKey)}'`));
	return { issues, observed };
}

/** The body, checked against itself too: a one-to-one call has two people, keys are unique, the observed key names one. */
export function parseComplianceCall(body: unknown, policy: CallbackPolicy): ComplianceCallBody & { observed: number } {
	const parsed = v.safeParse(schemas(policy), body, { abortEarly: false });
	const cross = crossIssues(body);
	const issues = [...(parsed.success ? [] : issuesToDetails(parsed.issues)), ...cross.issues];
	if (issues.length || !parsed.success) throw invalid("request body", issues);
	return { ...parsed.output, observed: cross.observed };
}
