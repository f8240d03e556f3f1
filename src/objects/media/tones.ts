import { keyOf } from "../../schema/tone-names";
import type { CallContext } from "../call/call-context";
import { notifyCall } from "../call/call-notifications";
import type { StoredCall } from "../call/call-store";
import { callRef, stopToneHeard } from "./media-queue";

// The caller presses keys (POST /_stub/calls/{id}/tones): a subscribed bot hears each as a call
// `updated` with toneInfo; a recordResponse listening for that key as a stop tone ends.

export function subscribeToTones(sql: SqlStorage): void {
	sql.exec("INSERT OR IGNORE INTO call_media (only_row) VALUES (1)");
	sql.exec("UPDATE call_media SET tones_subscribed = 1");
}

export function toneHeard(sql: SqlStorage, call: StoredCall, tone: string, ctx: CallContext): void {
	const media = sql.exec<{ tones_subscribed: number; tone_sequence: number }>("SELECT * FROM call_media").toArray()[0];
	if (media?.tones_subscribed) {
		const sequenceId = media.tone_sequence + 1;
		sql.exec("UPDATE call_media SET tone_sequence = ?", sequenceId);
		const resourceData = {
			"@odata.type": "#microsoft.graph.call",
			state: call.state,
			toneInfo: { "@odata.type": "#microsoft.graph.toneInfo", sequenceId, tone },
		};
		notifyCall(sql, call, "updated", ctx, resourceData);
	}
	const key = keyOf(tone); // stop tones are kept as keys (src/schema/tone-names.ts)
	if (key) stopToneHeard(sql, callRef(call), key, ctx);
}
