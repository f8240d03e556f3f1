import type { ErrorDetail } from "../../http/graph-error";
import { type AudioRoutingGroup, type AudioRoutingGroupPatch, modeIssues } from "../../schema/audio-routing-group";
import { fieldIssue } from "../../schema/validation-error";
import { type CallOutcome, done, refused } from "./call-outcome";
import { loadCall } from "./call-store";

// A call's audio routing groups, stored with it (table audio_routing_groups) and bounded per call.

/** Groups a call may hold (*inferred*: Graph documents no limit). */
export const MAX_AUDIO_ROUTING_GROUPS = 20;

export type GroupRequest =
	| { kind: "list" }
	| { kind: "get"; id: string }
	| { kind: "create"; group: AudioRoutingGroup }
	| { kind: "update"; id: string; patch: AudioRoutingGroupPatch }
	| { kind: "delete"; id: string };

/** The group(s) as served, or why not (the Worker turns this into Graph's error). */
export type GroupAnswer =
	| { ok: true; value: AudioRoutingGroup | AudioRoutingGroup[] | null }
	| { ok: false; status: 400 | 404 | 409; code: string; message: string; details?: ErrorDetail[] };

const notFound = (id: string): GroupAnswer => ({
	ok: false,
	status: 404,
	code: "itemNotFound",
	message: `The audio routing group '${id}' was not found in this call.`,
});
const invalid = (details: ErrorDetail[]): GroupAnswer => ({
	ok: false,
	status: 400,
	code: "BadRequest",
	message: `Invalid request body: ${details.map((d) => d.message).join("; ")}.`,
	details,
});

const list = (sql: SqlStorage) =>
	sql
		.exec<{ body: string }>("SELECT body FROM audio_routing_groups ORDER BY seq")
		.toArray()
		.map((row) => JSON.parse(row.body) as AudioRoutingGroup);

const find = (sql: SqlStorage, id: string) => {
	const row = sql.exec<{ body: string }>("SELECT body FROM audio_routing_groups WHERE id = ?", id).toArray()[0];
	return row && (JSON.parse(row.body) as AudioRoutingGroup);
};

const save = (sql: SqlStorage, group: AudioRoutingGroup) =>
	sql.exec(
		"INSERT INTO audio_routing_groups (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
		group.id,
		JSON.stringify(group),
	);

const isParticipant = (sql: SqlStorage, id: string) =>
	sql.exec("SELECT 1 FROM call_participants WHERE id = ?", id).toArray().length > 0;

/** The mode's rules, then every id that is not a participant of the call, each named. */
function groupIssues(sql: SqlStorage, group: AudioRoutingGroup): ErrorDetail[] {
	const strangers = (["sources", "receivers"] as const).flatMap((key) =>
		group[key].flatMap((id, i) =>
			isParticipant(sql, id) ? [] : [fieldIssue(`${key}[${i}]`, `'${id}' is not a participant of this call`)],
		),
	);
	return [...modeIssues(group), ...strangers];
}

/** One request on the groups of a live call (an ended or unknown call is not found, 8522). */
export function routingGroups(sql: SqlStorage, request: GroupRequest): CallOutcome<GroupAnswer> {
	const call = loadCall(sql);
	if (!call || call.state === "terminated") return refused("callNotFound");
	return done(apply(sql, request));
}

function apply(sql: SqlStorage, request: GroupRequest): GroupAnswer {
	switch (request.kind) {
		case "list":
			return { ok: true, value: list(sql) };
		case "get": {
			const group = find(sql, request.id);
			return group ? { ok: true, value: group } : notFound(request.id);
		}
		case "create": {
			const { group } = request;
			if (find(sql, group.id))
				return { ok: false, status: 409, code: "Conflict", message: `An audio routing group '${group.id}' exists.` };
			const count = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM audio_routing_groups").one().n;
			if (count >= MAX_AUDIO_ROUTING_GROUPS)
				return {
					ok: false,
					status: 400,
					code: "BadRequest",
					message: `A call holds at most ${MAX_AUDIO_ROUTING_GROUPS} audio routing groups.`,
				};
			const issues = groupIssues(sql, group);
			if (issues.length) return invalid(issues);
			save(sql, group);
			return { ok: true, value: group };
		}
		case "update": {
			const found = find(sql, request.id);
			if (!found) return notFound(request.id);
			const { "@odata.type": _, id, ...changes } = request.patch;
			if (id !== undefined && id !== found.id) return invalid([fieldIssue("id", "cannot be changed")]);
			const group = { ...found, ...changes };
			const issues = groupIssues(sql, group);
			if (issues.length) return invalid(issues);
			save(sql, group);
			return { ok: true, value: group };
		}
		case "delete":
			if (sql.exec("DELETE FROM audio_routing_groups WHERE id = ?", request.id).rowsWritten === 0)
				return notFound(request.id);
			return { ok: true, value: null };
	}
}

/**
 * A participant who leaves is dropped from every group; a group left without its source or without any
 * receiver is removed (*inferred*: Graph does not document it).
 */
export function dropFromRoutingGroups(sql: SqlStorage, participantId: string): void {
	for (const group of list(sql)) {
		if (!group.sources.includes(participantId) && !group.receivers.includes(participantId)) continue;
		const sources = group.sources.filter((id) => id !== participantId);
		const receivers = group.receivers.filter((id) => id !== participantId);
		if (sources.length === 0 || receivers.length === 0)
			sql.exec("DELETE FROM audio_routing_groups WHERE id = ?", group.id);
		else save(sql, { ...group, sources, receivers });
	}
}
