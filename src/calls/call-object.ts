import { bearerToken } from "../auth/bearer-token";
import { testerNamespace } from "../auth/tester-namespace";
import { failureError } from "../http/outcome-errors";
import type { Outcome } from "../objects/call-results";
import { settingsOf } from "../settings/settings";

/** Where requests without Authorization go when AUTH_MODE is "optional". */
export const ANONYMOUS_NAMESPACE = "anonymous";

/** The namespace of the caller's bearer token (401 without one, unless AUTH_MODE lets it go anonymous). */
export function callerNamespace(request: Request, env: Env): Promise<string> {
	// Worked out once per request (a handler and the refused-request journal both ask; a JWT is verified once).
	let namespace = namespaces.get(request);
	if (!namespace) {
		namespace = namespaceOf(request, env);
		namespaces.set(request, namespace);
	}
	return namespace;
}

const namespaces = new WeakMap<Request, Promise<string>>();

async function namespaceOf(request: Request, env: Env): Promise<string> {
	const settings = settingsOf(env);
	if (settings.authMode === "optional" && !request.headers.has("Authorization")) return ANONYMOUS_NAMESPACE;
	return testerNamespace(bearerToken(request), settings);
}

/** The Durable Object of one call of one namespace; the JSON pair keeps any two (namespace, callId) apart. */
export const callObjectName = (namespace: string, callId: string) => JSON.stringify([namespace, callId]);

export const callObject = (env: Env, namespace: string, callId: string) =>
	env.CALLS.getByName(callObjectName(namespace, callId));

export const registryObject = (env: Env, namespace: string) => env.REGISTRIES.getByName(namespace);

/**
 * The value of a call object's answer, or the Graph error its failure stands for; after the latency a
 * fault plan asked for, if any.
 */
export async function answer<T>(outcome: Outcome<T>, operationId = ""): Promise<T> {
	if (outcome.delayMs) await scheduler.wait(outcome.delayMs);
	if (outcome.ok) return outcome.value;
	throw failureError(outcome, operationId);
}
