import { signingFill, signingForbidden, signingRefusals, signingRights } from "../../auth/notification-identity";
import { callerNamespace, callObject, registryObject } from "../../calls/call-object";
import { readJsonObject } from "../../http/read-json-object";
import type { StubRequest } from "../../http/stub-request";
import { mergePatch } from "../../schema/merge-patch";
import { stubCallPath } from "../../schema/path-params";
import { parseStubConfig, redactConfig, type StubConfig } from "../../schema/stub-config";
import { settingsOf } from "../../settings/settings";

// Simulation settings (docs/contract.md): callbackUri, progression scripts, fault plans. Scoped to the caller's
// namespace; a call's own configuration wins over the namespace default, whole.

const json = (body: unknown) => Response.json(body);

type ConfigView = { own: StubConfig | null; inherited: StubConfig | null; effective: StubConfig | null };

/** A call's configurations as the tester reads them back: the callbackToken is write-only (docs/contract.md). */
const redactView = (view: ConfigView) => ({
	own: redactConfig(view.own),
	inherited: redactConfig(view.inherited),
	effective: redactConfig(view.effective),
});

async function configOf(request: StubRequest, env: Env, namespace: string): Promise<StubConfig> {
	return checkedConfig(await readJsonObject(request, settingsOf(env).maxBodyBytes), env, namespace);
}

function checkedConfig(body: Record<string, unknown>, env: Env, namespace: string): StubConfig {
	const settings = settingsOf(env);
	const config = parseStubConfig(body, settings);
	// Never a configuration that has the stub sign for a bot the caller may not speak for (403, which it may).
	const rights = signingRights(settings, namespace);
	const ids = { botAppId: config.botAppId, tenantId: config.tenantId };
	const refusals = signingRefusals(rights, ids);
	if (refusals.length) throw signingForbidden(refusals);
	return { ...config, ...signingFill(rights, ids) };
}

async function callOf(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	return { namespace, object: callObject(env, namespace, callId) };
}

/** GET /_stub/calls/{callId}/config → `{own, inherited, effective}`. */
export async function getCallConfig(request: StubRequest, env: Env) {
	const { object } = await callOf(request, env);
	return json(redactView(await object.getConfig()));
}

/** PUT /_stub/calls/{callId}/config: this call's own configuration, replacing any before. */
export async function putCallConfig(request: StubRequest, env: Env) {
	const { namespace, object } = await callOf(request, env);
	const config = await configOf(request, env, namespace);
	return json(redactView(await object.setConfig(config)));
}

/** DELETE /_stub/calls/{callId}/config: back to the namespace default. */
export async function deleteCallConfig(request: StubRequest, env: Env) {
	const { object } = await callOf(request, env);
	return json(redactView(await object.setConfig(undefined)));
}

/** Stores the namespace default, then drives its push to every call in bounded steps (cut off: the alarm finishes it). */
async function pushNamespaceConfig(env: Env, namespace: string, config: StubConfig | undefined) {
	const registry = registryObject(env, namespace);
	await registry.setConfig(namespace, config);
	while (!(await registry.advance("config"))) {}
}

/** GET /_stub/config → `{config}`, the namespace default. */
export async function getNamespaceConfig(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	return json({ config: redactConfig(await registryObject(env, namespace).getConfig()) });
}

/** PUT /_stub/config: the namespace default, for every call without one of its own. */
export async function putNamespaceConfig(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const config = await configOf(request, env, namespace);
	await pushNamespaceConfig(env, namespace, config);
	return json({ config: redactConfig(config) });
}

/**
 * PATCH /_stub/config: a JSON Merge Patch (RFC 7386) of the namespace default — `{"faults": null}` drops
 * the fault plan and keeps the rest. The merged whole is validated like a PUT. Two PATCHes sent at
 * once are not serialized against each other: the later may not see the earlier (a test driver's
 * configure() sends one at a time).
 */
export async function patchNamespaceConfig(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const patch = await readJsonObject(request, settingsOf(env).maxBodyBytes);
	const current = await registryObject(env, namespace).getConfig();
	const merged = mergePatch(current ?? {}, patch) as Record<string, unknown>; // a patch is an object: so is the merge
	const config = checkedConfig(merged, env, namespace);
	await pushNamespaceConfig(env, namespace, config);
	return json({ config: redactConfig(config) });
}

/** DELETE /_stub/config: no namespace default. */
export async function deleteNamespaceConfig(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	await pushNamespaceConfig(env, namespace, undefined);
	return json({ config: null });
}

/** GET /_stub/calls/{callId}/notifications: the delivery journal, in notification order. */
export async function getNotifications(request: StubRequest, env: Env) {
	const { object } = await callOf(request, env);
	return json({ value: await object.notifications() });
}

/** GET /_stub/calls/{callId}/journal: injected faults and Retry-After violations, in order. */
export async function getJournal(request: StubRequest, env: Env) {
	const { object } = await callOf(request, env);
	return json({ value: await object.journal() });
}
