import { batchLimit, DEFAULT_USER_AGENT } from "../../schema/notification-options";
import { callbackRefusal, type StubConfig } from "../../schema/stub-config";
import { settingsOf } from "../../settings/settings";
import { permittedBearer } from "../keys/permitted-bearer";
import type { DeliverySettings } from "./delivery";

/** How one tick of a call delivers its notifications: the Worker's settings plus the call's configuration. */
export function notificationDelivery(
	env: Env,
	sql: SqlStorage,
	config: StubConfig | undefined,
	scenarioId: string,
): DeliverySettings {
	const settings = settingsOf(env);
	const callbackUri = config?.callbackUri;
	return {
		callbackUri,
		callbackToken: config?.callbackToken,
		scenarioId,
		userAgent: config?.notifications?.userAgent ?? DEFAULT_USER_AGENT,
		batchLimit: batchLimit(config?.notifications),
		timeoutMs: settings.deliveryTimeoutMs,
		maxAttempts: settings.deliveryMaxAttempts,
		backoffBaseMs: settings.deliveryBackoffBaseMs,
		refusal: (uri) => callbackRefusal(uri, settings),
		bearer: () => permittedBearer(env, namespaceOf(sql), config),
		slotAt: async () => {
			const namespace = namespaceOf(sql);
			if (namespace === undefined) return Date.now();
			return env.REGISTRIES.getByName(namespace).notificationSlot(settings.notificationsPerMinute);
		},
	};
}

const namespaceOf = (sql: SqlStorage) =>
	sql.exec<{ namespace: string }>("SELECT namespace FROM call_info").toArray()[0]?.namespace;
