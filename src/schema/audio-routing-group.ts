import * as v from "valibot";
import type { ErrorDetail } from "../http/graph-error";
import { typeTag } from "./call-parts";
import { Key } from "./scalars";
import { fieldIssue } from "./validation-error";

// audioRoutingGroup (v1.0 and beta alike): which participants' audio (`sources`) an app-hosted media bot
// sends to which (`receivers`). `oneToOne`: one source, one receiver; `multicast`: one source, several
// receivers (which a PATCH may change). The client names the group's id.

export const ROUTING_MODES = ["oneToOne", "multicast"] as const;
const RoutingMode = v.picklist(ROUTING_MODES, "must be oneToOne or multicast");

/** Receivers of one multicast group: the call's participant bound. */
export const MAX_RECEIVERS = 250;

const ParticipantIds = v.pipe(
	v.array(Key, "must be an array of participant ids"),
	v.maxLength(MAX_RECEIVERS, `must have at most ${MAX_RECEIVERS} participant ids`),
	v.check((ids) => new Set(ids).size === ids.length, "must not name a participant twice"),
);

export const NewAudioRoutingGroup = v.strictObject({
	"@odata.type": typeTag("audioRoutingGroup"),
	id: Key,
	routingMode: RoutingMode,
	sources: ParticipantIds,
	receivers: ParticipantIds,
});

/** A PATCH changes any of the group's members but its id (which, if sent, must be the group's). */
export const AudioRoutingGroupPatch = v.strictObject({
	"@odata.type": typeTag("audioRoutingGroup"),
	id: v.optional(Key),
	routingMode: v.optional(RoutingMode),
	sources: v.optional(ParticipantIds),
	receivers: v.optional(ParticipantIds),
});
export type AudioRoutingGroupPatch = v.InferOutput<typeof AudioRoutingGroupPatch>;

export type AudioRoutingGroup = {
	id: string;
	routingMode: (typeof ROUTING_MODES)[number];
	sources: string[];
	receivers: string[];
};

/** What the routing mode asks of a whole group (Graph: one source; oneToOne one receiver, multicast one or more). */
export function modeIssues(group: AudioRoutingGroup): ErrorDetail[] {
	const issues: ErrorDetail[] = [];
	if (group.sources.length !== 1) issues.push(fieldIssue("sources", "must name exactly one participant"));
	if (group.routingMode === "oneToOne" && group.receivers.length !== 1)
		issues.push(fieldIssue("receivers", "must name exactly one participant for a oneToOne group"));
	if (group.routingMode === "multicast" && group.receivers.length === 0)
		issues.push(fieldIssue("receivers", "must name at least one participant for a multicast group"));
	return issues;
}

/** The group as served (and as the OpenAPI document describes it). */
export const AudioRoutingGroupView = v.looseObject({
	"@odata.type": v.literal("#microsoft.graph.audioRoutingGroup"),
	id: v.string(),
	routingMode: RoutingMode,
	sources: v.array(v.string()),
	receivers: v.array(v.string()),
});
