import createOperations from "../../migrations/call/0001_create_operations.sql";
import createSimulation from "../../migrations/call/0002_create_simulation.sql";
import dropCallRegistered from "../../migrations/call/0003_drop_call_registered.sql";
import trackCallLifecycle from "../../migrations/call/0004_track_call_lifecycle.sql";
import createCallResource from "../../migrations/call/0005_create_call_resource.sql";
import createMedia from "../../migrations/call/0006_create_media.sql";
import numberOperations from "../../migrations/call/0007_number_operations_without_autoincrement.sql";
import createRequestJournal from "../../migrations/call/0008_create_request_journal.sql";
import rememberApiVersion from "../../migrations/call/0009_remember_api_version.sql";
import linkCallToMeeting from "../../migrations/call/0010_link_call_to_meeting.sql";
import addRedirectHopsAndRoutingGroups from "../../migrations/call/0011_add_redirect_hops_and_routing_groups.sql";
import createContentSharingSessions from "../../migrations/call/0012_create_content_sharing_sessions.sql";
import createCallRecorder from "../../migrations/call/0013_create_call_recorder.sql";
import trackCallRecord from "../../migrations/call/0014_track_call_record.sql";
import rememberEveryoneAMeetingCallSaw from "../../migrations/call/0015_remember_everyone_a_meeting_call_saw.sql";
import createSigningKeys from "../../migrations/keys/0001_create_signing_keys.sql";
import createRsaSigningKeys from "../../migrations/keys/0002_create_rsa_signing_keys.sql";
import createMeeting from "../../migrations/meeting/0001_create_meeting.sql";
import createMeetingHolds from "../../migrations/meeting/0002_create_meeting_holds.sql";
import trackMeetingActivity from "../../migrations/meeting/0003_track_meeting_activity.sql";
import createComplianceRecording from "../../migrations/meeting/0004_create_compliance_recording.sql";
import letAScriptWaitForABot from "../../migrations/meeting/0005_let_a_script_wait_for_a_bot.sql";
import createCalls from "../../migrations/registry/0001_create_calls.sql";
import createNamespaceConfig from "../../migrations/registry/0002_create_namespace_config.sql";
import numberCalls from "../../migrations/registry/0003_number_calls_and_track_fan_outs.sql";
import createMeetings from "../../migrations/registry/0004_create_meetings.sql";
import createCallRecords from "../../migrations/registry/0005_create_call_records.sql";
import createRefusedRequestJournal from "../../migrations/registry/0006_create_refused_request_journal.sql";
import { madeSchema, rememberSchema } from "./made-schema";

export type Migration = { name: string; sql: string };

// Append-only, in file order. test/migration-files.test.ts checks these lists against the folders.
export const CALL_MIGRATIONS: readonly Migration[] = [
	{ name: "0001_create_operations", sql: createOperations },
	{ name: "0002_create_simulation", sql: createSimulation },
	{ name: "0003_drop_call_registered", sql: dropCallRegistered },
	{ name: "0004_track_call_lifecycle", sql: trackCallLifecycle },
	{ name: "0005_create_call_resource", sql: createCallResource },
	{ name: "0006_create_media", sql: createMedia },
	{ name: "0007_number_operations_without_autoincrement", sql: numberOperations },
	{ name: "0008_create_request_journal", sql: createRequestJournal },
	{ name: "0009_remember_api_version", sql: rememberApiVersion },
	{ name: "0010_link_call_to_meeting", sql: linkCallToMeeting },
	{ name: "0011_add_redirect_hops_and_routing_groups", sql: addRedirectHopsAndRoutingGroups },
	{ name: "0012_create_content_sharing_sessions", sql: createContentSharingSessions },
	{ name: "0013_create_call_recorder", sql: createCallRecorder },
	{ name: "0014_track_call_record", sql: trackCallRecord },
	{ name: "0015_remember_everyone_a_meeting_call_saw", sql: rememberEveryoneAMeetingCallSaw },
];
export const REGISTRY_MIGRATIONS: readonly Migration[] = [
	{ name: "0001_create_calls", sql: createCalls },
	{ name: "0002_create_namespace_config", sql: createNamespaceConfig },
	{ name: "0003_number_calls_and_track_fan_outs", sql: numberCalls },
	{ name: "0004_create_meetings", sql: createMeetings },
	{ name: "0005_create_call_records", sql: createCallRecords },
	{ name: "0006_create_refused_request_journal", sql: createRefusedRequestJournal },
];
export const KEYS_MIGRATIONS: readonly Migration[] = [
	{ name: "0001_create_signing_keys", sql: createSigningKeys },
	{ name: "0002_create_rsa_signing_keys", sql: createRsaSigningKeys },
];
export const MEETING_MIGRATIONS: readonly Migration[] = [
	{ name: "0001_create_meeting", sql: createMeeting },
	{ name: "0002_create_meeting_holds", sql: createMeetingHolds },
	{ name: "0003_track_meeting_activity", sql: trackMeetingActivity },
	{ name: "0004_create_compliance_recording", sql: createComplianceRecording },
	{ name: "0005_let_a_script_wait_for_a_bot", sql: letAScriptWaitForABot },
];

type AppliedRow = { name: string };

const APPLIED = "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)";

/**
 * Runs the migrations `storage` has not seen, each with its bookkeeping row in one transaction, so a
 * failed file leaves no trace and is retried on the next start. Returns the names it ran.
 */
export function applyMigrations(storage: DurableObjectStorage, migrations: readonly Migration[]): string[] {
	storage.sql.exec("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
	const applied = new Set(
		storage.sql
			.exec<AppliedRow>("SELECT name FROM _migrations")
			.toArray()
			.map((row) => row.name),
	);
	// An empty database is made from the schema a full run made earlier in this isolate, in one batch (made-schema.ts).
	const schema = applied.size === 0 ? madeSchema(migrations) : undefined;
	if (schema !== undefined) {
		storage.transactionSync(() => {
			storage.sql.exec(schema);
			const at = new Date().toISOString();
			for (const { name } of migrations) storage.sql.exec(APPLIED, name, at);
		});
		return migrations.map((migration) => migration.name);
	}
	const ran: string[] = [];
	for (const migration of migrations) {
		if (applied.has(migration.name)) continue;
		storage.transactionSync(() => {
			storage.sql.exec(migration.sql);
			storage.sql.exec(APPLIED, migration.name, new Date().toISOString());
		});
		ran.push(migration.name);
	}
	if (applied.size === 0) rememberSchema(storage.sql, migrations);
	return ran;
}
