import { signingRefusals, signingRights } from "../../auth/notification-identity";
import { DEFAULT_BOT_APP_ID, DEFAULT_TENANT_ID, type StubConfig } from "../../schema/stub-config";
import { settingsOf } from "../../settings/settings";
import { notificationBearer } from "./notification-bearer";

/** A notification the stub would not sign: delivery records it as a failed attempt (`NotSigned: …`) and sends nothing. */
export class NotSigned extends Error {
	override readonly name = "NotSigned";
}

/**
 * The bearer of a notification to the configured bot, signed only if the call's namespace may have it now:
 * the configuration was checked when written, but the settings (STUB_TOKENS, AUTH_MODE) may have changed
 * since. Fails closed: no namespace known, no rights.
 */
export async function permittedBearer(env: Env, namespace: string | undefined, config: StubConfig | undefined) {
	const ids = { botAppId: config?.botAppId ?? DEFAULT_BOT_APP_ID, tenantId: config?.tenantId ?? DEFAULT_TENANT_ID };
	const refusals = signingRefusals(signingRights(settingsOf(env), namespace ?? ""), ids);
	if (refusals.length)
		throw new NotSigned(
			`the stub may no longer sign for this configuration, so the notification was not sent: ${refusals.map((refusal) => refusal.message).join("; ")}`,
		);
	return notificationBearer(env, ids.botAppId, ids.tenantId);
}
