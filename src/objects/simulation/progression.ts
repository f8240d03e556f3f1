import type { ApiVersion } from "../../schema/api-version";
import { completionReasonRefusal } from "../../schema/derived-operation-types";
import { graphTypeName } from "../../schema/odata-type-name";
import { isTerminal } from "../../schema/operation-status";
import type { ProgressionScript, ProgressionStep, StubConfig } from "../../schema/stub-config";
import { scriptFor } from "../../schema/stub-config";
import { callHead } from "../call/call-store";
import { findAction, markDone } from "../media/action-store";
import { enqueueOperationNotification } from "../media/operation-notification";
import { enqueueNotification } from "../notifications/outbox";
import { patchedDocument } from "../operations/operation-document";

/** The steps of `script` still ahead of an operation now in `status` (none once it is terminal). */
export function stepsAhead(script: ProgressionScript, status: string): ProgressionScript {
	if (isTerminal(status)) return [];
	const at = script.findIndex((step) => step.status === status);
	return script.slice(at + 1);
}

type Document = { "@odata.type": string; id: string; status: string };

/**
 * (Re)plans an operation's transitions after a create or patch: what was planned is dropped, the
 * script's remaining steps are scheduled, each `afterMs` after the one before. Returns the first due time.
 * `version`: the write's, which the notifications of an operation without a call resource speak.
 */
export function planTransitions(
	sql: SqlStorage,
	config: StubConfig | undefined,
	seq: number,
	body: string,
	nowMs: number,
	version: ApiVersion,
) {
	sql.exec("DELETE FROM transitions WHERE operation_seq = ?", seq);
	if (!config?.progression) return undefined;
	const document = JSON.parse(body) as Document;
	const typeName = graphTypeName(document["@odata.type"]) ?? "commsOperation";
	let due = nowMs;
	let first: number | undefined;
	for (const step of stepsAhead(scriptFor(config, typeName), document.status)) {
		due += step.afterMs;
		first ??= due;
		sql.exec(
			"INSERT INTO transitions (operation_seq, due_at, step, api_version) VALUES (?, ?, ?, ?)",
			seq,
			due,
			JSON.stringify(step),
			version,
		);
	}
	return first;
}

type TransitionRow = { id: number; operation_seq: number; step: string; api_version: ApiVersion };

/** Applies every transition due by `nowMs`, in due order, each enqueuing its notification. */
export function advanceDue(
	sql: SqlStorage,
	config: StubConfig | undefined,
	callId: string,
	nowMs: number,
	nowIso: string,
) {
	const due = sql
		.exec<TransitionRow>(
			"SELECT id, operation_seq, step, api_version FROM transitions WHERE due_at <= ? ORDER BY due_at, id",
			nowMs,
		)
		.toArray();
	for (const transition of due) {
		sql.exec("DELETE FROM transitions WHERE id = ?", transition.id);
		const row = sql
			.exec<{ body: string }>("SELECT body FROM operations WHERE seq = ?", transition.operation_seq)
			.toArray()[0];
		if (!row) continue;
		const step = JSON.parse(transition.step) as ProgressionStep;
		const changes: [string, unknown][] = [["status", step.status]];
		if (step.resultInfo !== undefined) changes.push(["resultInfo", step.resultInfo]);
		// A default script's completionReason goes only to the types that allow it (byType scripts are checked
		// when configured), so no stored operation ever carries a value its type refuses.
		const stored = JSON.parse(row.body) as Document;
		const typeName = graphTypeName(stored["@odata.type"]) ?? "commsOperation";
		if (step.completionReason !== undefined && !completionReasonRefusal(typeName, step.completionReason))
			changes.push(["completionReason", step.completionReason]);
		const body = patchedDocument(row.body, changes, nowIso);
		sql.exec("UPDATE operations SET body = ? WHERE seq = ?", body, transition.operation_seq);
		const terminal = isTerminal(step.status);
		const action = findAction(sql, stored.id); // a transition never changes the id
		const changeType = terminal ? "deleted" : "updated";
		if (action) {
			// An action's operation: its notifications go where the call's go, in the call's version and shape.
			if (terminal) markDone(sql, action.operation_id);
			const head = callHead(sql);
			const call = { callId, callbackUri: head?.callbackUri ?? null, version: head?.version ?? transition.api_version };
			enqueueOperationNotification(sql, call, stored.id, body, changeType, { nowMs, nowIso });
		} else if (config?.callbackUri)
			enqueueNotification(sql, callId, body, terminal, transition.api_version, { nowMs, nowIso });
	}
	return due.length;
}
