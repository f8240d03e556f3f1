import * as v from "valibot";
import { callerNamespace, registryObject } from "../../calls/call-object";
import type { CallRecord } from "../../calls/call-record";
import { literal } from "../../calls/odata-urls";
import { GraphError } from "../../http/graph-error";
import { odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import { callRecordPath } from "../../schema/path-params";
import { readOptions } from "../../schema/query-options";
import { fieldIssue, invalid } from "../../schema/validation-error";

// GET …/communications/callRecords/{id} (v1.0 and beta): an ended call's record by its callChainId, from
// the namespace's registry, once its delay has passed and until its TTL (404 otherwise, as Graph before a
// record exists and after it is kept). `$expand` as the docs show it: sessions, sessions($expand=segments),
// participants_v2, or a comma-separated list of them; organizer_v2 is always expanded.

type Expansion = { sessions: boolean; segments: boolean; participants: boolean };

const EXPANSIONS: Record<string, Partial<Expansion>> = {
	sessions: { sessions: true },
	"sessions($expand=segments)": { sessions: true, segments: true },
	participants_v2: { participants: true },
};

function expansion(expand: string | undefined): Expansion {
	const wanted: Expansion = { sessions: false, segments: false, participants: false };
	if (expand === undefined) return wanted;
	for (const item of expand.split(/,(?![^(]*\))/)) {
		const one = EXPANSIONS[item.replace(/\s+/g, "")];
		if (!one)
			throw invalid("query", [
				fieldIssue("$expand", "must be sessions, sessions($expand=segments) or participants_v2 (comma-separated)"),
			]);
		Object.assign(wanted, one);
	}
	return wanted;
}

/** `@odata.context` as the docs' examples show it for each expansion. */
function contextOf(base: string, wanted: Expansion) {
	const expanded = [
		...(wanted.sessions ? [wanted.segments ? "sessions(segments())" : "sessions()"] : []),
		...(wanted.participants ? ["participants_v2()"] : []),
	];
	return `${base}#communications/callRecords${expanded.length ? `(${expanded.join(",")})` : ""}/$entity`;
}

export async function getCallRecord(request: StubRequest, env: Env) {
	const { version, recordId } = callRecordPath(request.params);
	const wanted = expansion(readOptions(request.meta.search, version, ["$expand"]).$expand);
	const namespace = await callerNamespace(request, env);
	const record: CallRecord | null = await registryObject(env, namespace).callRecord(recordId);
	if (!record) throw new GraphError(404, "NotFound", `The call record '${recordId}' was not found.`);
	const base = `${request.meta.origin}/${version}/$metadata`;
	const entity = `${base}#communications/callRecords('${literal(recordId)}')`;
	const { "@odata.type": _, organizer_v2, participants_v2, sessions, ...scalars } = record;
	return odataJson(
		JSON.stringify({
			"@odata.context": contextOf(base, wanted),
			...scalars,
			"organizer_v2@odata.context": `${entity}/organizer_v2/$entity`,
			organizer_v2,
			"participants_v2@odata.context": `${entity}/participants_v2/$entity`,
			...(wanted.participants ? { participants_v2 } : {}),
			...(wanted.sessions
				? { sessions: wanted.segments ? sessions : sessions.map(({ segments: _s, ...session }) => session) }
				: {}),
		}),
	);
}

export const CallRecordView = v.looseObject({
	id: v.string(),
	version: v.number(),
	type: v.picklist(["unknown", "groupCall", "peerToPeer", "unknownFutureValue"]),
	modalities: v.array(v.string()),
	startDateTime: v.string(),
	endDateTime: v.string(),
	lastModifiedDateTime: v.string(),
	joinWebUrl: v.nullable(v.string()),
	organizer_v2: v.nullable(v.looseObject({ id: v.string(), identity: v.looseObject({}) })),
	participants_v2: v.optional(v.array(v.looseObject({ id: v.string(), identity: v.looseObject({}) }))),
	sessions: v.optional(v.array(v.looseObject({ id: v.string(), modalities: v.array(v.string()) }))),
});
