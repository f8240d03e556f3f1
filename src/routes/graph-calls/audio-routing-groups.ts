import * as v from "valibot";
import { callerNamespace, callObject } from "../../calls/call-object";
import { collectionContext } from "../../calls/odata-urls";
import { requestFacts } from "../../calls/request-facts";
import { GraphError } from "../../http/graph-error";
import { readJsonObject } from "../../http/read-json-object";
import { noContent, odataJson } from "../../http/responses";
import type { StubRequest } from "../../http/stub-request";
import type { GroupAnswer, GroupRequest } from "../../objects/call/audio-routing-groups";
import type { ApiVersion } from "../../schema/api-version";
import {
	type AudioRoutingGroup,
	AudioRoutingGroupPatch,
	AudioRoutingGroupView,
	modeIssues,
	NewAudioRoutingGroup,
} from "../../schema/audio-routing-group";
import { audioRoutingGroupPath, callPath } from "../../schema/path-params";
import { invalid, parsedOrInvalid } from "../../schema/validation-error";
import { settingsOf } from "../../settings/settings";
import type { Route, RouteDoc } from "../route";
import { callAnswer } from "./call-answer";

// …/calls/{id}/audioRoutingGroups (v1.0 and beta): create (200, as Graph), list, get, update (200), delete (204).

const groupsContext = (origin: string, version: ApiVersion, callId: string) =>
	collectionContext(origin, version, callId, "audioRoutingGroups");

const served = (group: AudioRoutingGroup) => ({ "@odata.type": "#microsoft.graph.audioRoutingGroup", ...group });

const OK_STATUS: Record<GroupRequest["kind"], number> = { list: 200, get: 200, create: 200, update: 200, delete: 204 };

/** The call object's answer, or Graph's error for it. */
async function ask(request: StubRequest, env: Env, callId: string, groups: GroupRequest) {
	const namespace = await callerNamespace(request, env);
	const facts = requestFacts(request, `${groups.kind}AudioRoutingGroup`, OK_STATUS[groups.kind]);
	const answer: GroupAnswer = callAnswer(await callObject(env, namespace, callId).audioRoutingGroups(groups, facts));
	if (!answer.ok) throw new GraphError(answer.status, answer.code, answer.message, answer.details);
	return answer.value;
}

const readBody = (request: StubRequest, env: Env) => readJsonObject(request, settingsOf(env).maxBodyBytes);

async function createGroup(request: StubRequest, env: Env) {
	const { version, callId } = callPath(request.params);
	const { "@odata.type": _, ...group } = parsedOrInvalid(
		NewAudioRoutingGroup,
		await readBody(request, env),
		"request body",
	);
	const issues = modeIssues(group);
	if (issues.length) throw invalid("request body", issues);
	const created = (await ask(request, env, callId, { kind: "create", group })) as AudioRoutingGroup;
	const context = `${groupsContext(request.meta.origin, version, callId)}/$entity`;
	return odataJson(JSON.stringify({ "@odata.context": context, ...served(created) }));
}

async function listGroups(request: StubRequest, env: Env) {
	const { version, callId } = callPath(request.params);
	const groups = (await ask(request, env, callId, { kind: "list" })) as AudioRoutingGroup[];
	const context = groupsContext(request.meta.origin, version, callId);
	return odataJson(JSON.stringify({ "@odata.context": context, value: groups.map(served) }));
}

async function getGroup(request: StubRequest, env: Env) {
	const { version, callId, groupId } = audioRoutingGroupPath(request.params);
	const group = (await ask(request, env, callId, { kind: "get", id: groupId })) as AudioRoutingGroup;
	const context = `${groupsContext(request.meta.origin, version, callId)}/$entity`;
	return odataJson(JSON.stringify({ "@odata.context": context, ...served(group) }));
}

async function updateGroup(request: StubRequest, env: Env) {
	const { version, callId, groupId } = audioRoutingGroupPath(request.params);
	const patch = parsedOrInvalid(AudioRoutingGroupPatch, await readBody(request, env), "request body");
	const group = (await ask(request, env, callId, { kind: "update", id: groupId, patch })) as AudioRoutingGroup;
	const context = `${groupsContext(request.meta.origin, version, callId)}/$entity`;
	return odataJson(JSON.stringify({ "@odata.context": context, ...served(group) }));
}

async function deleteGroup(request: StubRequest, env: Env) {
	const { callId, groupId } = audioRoutingGroupPath(request.params);
	await ask(request, env, callId, { kind: "delete", id: groupId });
	return noContent();
}

const doc = (summary: string, responses: RouteDoc["responses"], body?: v.GenericSchema, name?: string): RouteDoc => ({
	summary,
	tag: "Graph: calls",
	responses,
	...(body && name ? { body: { json: body, name, required: true } } : {}),
});
const Collection = v.strictObject({ "@odata.context": v.string(), value: v.array(AudioRoutingGroupView) });

/** The rows of the route table for one call collection (`/:version/communications/calls` or `/app/calls`). */
export function audioRoutingGroupRows(calls: string): Route[] {
	const groups = `${calls}/:callId/audioRoutingGroups`;
	const group = `${groups}/:groupId`;
	const one = { description: "The audio routing group.", json: AudioRoutingGroupView };
	return [
		{
			method: "POST",
			path: groups,
			handler: createGroup,
			doc: doc("Create an audio routing group", { 200: one }, NewAudioRoutingGroup, "NewAudioRoutingGroupBody"),
		},
		{
			method: "GET",
			path: groups,
			handler: listGroups,
			doc: doc("List the call's audio routing groups", { 200: { description: "The groups.", json: Collection } }),
		},
		{ method: "GET", path: group, handler: getGroup, doc: doc("Get an audio routing group", { 200: one }) },
		{
			method: "PATCH",
			path: group,
			handler: updateGroup,
			doc: doc("Update an audio routing group", { 200: one }, AudioRoutingGroupPatch, "AudioRoutingGroupPatchBody"),
		},
		{
			method: "DELETE",
			path: group,
			handler: deleteGroup,
			doc: doc("Delete an audio routing group", { 204: { description: "Gone." } }),
		},
	];
}
