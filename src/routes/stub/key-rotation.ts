import { callerNamespace } from "../../calls/call-object";
import { GraphError } from "../../http/graph-error";
import type { StubRequest } from "../../http/stub-request";
import { forgetSigningKey } from "../../objects/keys/notification-bearer";
import { signingKeysObject } from "../../objects/keys/signing-keys";
import { settingsOf } from "../../settings/settings";

/**
 * POST /_stub/keys/rotate: one step of a signing-key rotation (docs/contract.md, "Signed notifications").
 * The keys are the deployment's, not a namespace's: a rotation changes what every tester's bot sees, so
 * only a stub served locally (SERVED_FROM = local, one machine's testers) rotates; a deployment refuses.
 */
export async function rotateSigningKeys(request: StubRequest, env: Env) {
	await callerNamespace(request, env); // a tester's token, as every control: 401 before 403
	if (!settingsOf(env).local)
		throw new GraphError(
			403,
			"Forbidden",
			"Rotating the notification signing keys is only allowed on a stub served locally (SERVED_FROM = local): on a shared deployment it would change every tester's keys.",
		);
	const roles = await signingKeysObject(env).rotate();
	forgetSigningKey();
	return Response.json(roles);
}
