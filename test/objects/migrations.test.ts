import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callObject, registryObject } from "../../src/calls/call-object";
import { applyMigrations, CALL_MIGRATIONS, REGISTRY_MIGRATIONS } from "../../src/objects/migrations";
import { applyWrite, countOperations } from "../../src/objects/operations/operation-store";
import { uniqueCallId } from "../helpers/graph";

type Applied = { name: string; applied_at: string };

const applied = (state: DurableObjectState) =>
	state.storage.sql.exec<Applied>("SELECT name, applied_at FROM _migrations ORDER BY name").toArray();

describe("the call object's migrations", () => {
	it("runs each migration once on first start, and not again after a restart", async () => {
		const stub = callObject(env, "ns-migrations", uniqueCallId());
		const first = await runInDurableObject(stub, (_, state) => applied(state));
		expect(first.map((row) => row.name)).toEqual(CALL_MIGRATIONS.map((m) => m.name));

		await evictDurableObject(stub);
		const second = await runInDurableObject(stub, (_, state) => applied(state));
		expect(second).toEqual(first);
	});

	it("upgrades an existing object in place when a new file is appended, keeping its data", async () => {
		const stub = callObject(env, "ns-migrations", uniqueCallId());
		const upgraded = [
			...CALL_MIGRATIONS,
			{ name: "0099_add_note", sql: "ALTER TABLE operations ADD COLUMN note TEXT;" },
		];
		const result = await runInDurableObject(stub, (_, state) => {
			state.storage.sql.exec("INSERT INTO operations (id, body) VALUES ('kept', '{}')");
			const ran = applyMigrations(state.storage, upgraded);
			const again = applyMigrations(state.storage, upgraded);
			const columns = state.storage.sql.exec<{ name: string }>("PRAGMA table_info(operations)").toArray();
			const kept = state.storage.sql.exec("SELECT id FROM operations").toArray();
			return { ran, again, columns: columns.map((c) => c.name), kept: kept.length };
		});
		expect(result).toEqual({ ran: ["0099_add_note"], again: [], columns: ["seq", "id", "body", "note"], kept: 1 });
	});

	it("rolls a failing migration back whole, leaving no bookkeeping row", async () => {
		const stub = callObject(env, "ns-migrations", uniqueCallId());
		const broken = [
			...CALL_MIGRATIONS,
			{ name: "0099_broken", sql: "CREATE TABLE half (x); SELECT nope FROM missing;" },
		];
		const result = await runInDurableObject(stub, (_, state) => {
			let failed = false;
			try {
				applyMigrations(state.storage, broken);
			} catch {
				failed = true;
			}
			const tables = state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'half'").toArray();
			return { failed, tables: tables.length, names: applied(state).map((row) => row.name) };
		});
		expect(result).toEqual({ failed: true, tables: 0, names: CALL_MIGRATIONS.map((m) => m.name) });
	});
});

describe("0007: numbering operations without AUTOINCREMENT", () => {
	it("keeps every number handed out before the upgrade, even the deleted highest one", async () => {
		const stub = callObject(env, "ns-migrations", uniqueCallId());
		const result = await runInDurableObject(stub, async (_, state) => {
			await state.storage.deleteAll();
			applyMigrations(state.storage, CALL_MIGRATIONS.slice(0, 6));
			const sql = state.storage.sql;
			sql.exec(
				"INSERT INTO call_info (only_row, namespace, call_id, last_activity, written, registered) VALUES (1, 'n', 'c', 'x', 1, 1)",
			);
			for (const id of ["a", "b", "c"]) sql.exec("INSERT INTO operations (id, body) VALUES (?, '{}')", id);
			sql.exec("DELETE FROM operations WHERE id = 'c'"); // AUTOINCREMENT remembered 3
			applyMigrations(state.storage, CALL_MIGRATIONS);
			const created = applyWrite(
				sql,
				{ kind: "create", operation: { typeName: "commsOperation", id: "d", propertiesJson: "{}" }, version: "v1.0" },
				new Date().toISOString(),
			);
			return {
				seq: created.ok ? created.value.seq : created.error,
				count: countOperations(sql, 1).value,
				autoincrement: sql.exec("SELECT sql FROM sqlite_master WHERE name = 'operations'").one().sql,
			};
		});
		expect(result.seq).toBe(4);
		expect(result.count).toBe(3);
		expect(String(result.autoincrement)).not.toContain("AUTOINCREMENT");
	});
});

describe("the registry's migrations", () => {
	it("0003 numbers the calls already registered in the order they registered, keeping every one", async () => {
		const registry = registryObject(env, `ns-registry-${uniqueCallId()}`);
		const result = await runInDurableObject(registry, (_, state) => {
			const sql = state.storage.sql;
			// The registry as it was before 0003.
			sql.exec("DROP TABLE calls");
			sql.exec("DROP TABLE fan_outs");
			sql.exec("DELETE FROM _migrations WHERE name = '0003_number_calls_and_track_fan_outs'");
			sql.exec("CREATE TABLE calls (call_id TEXT PRIMARY KEY, registered_at TEXT NOT NULL)");
			sql.exec("INSERT INTO calls VALUES ('b', '2026-11-02T00:00:00.000Z'), ('a', '2026-11-01T00:00:00.000Z')");
			const ran = applyMigrations(state.storage, REGISTRY_MIGRATIONS);
			const rows = sql.exec<{ seq: number; call_id: string }>("SELECT seq, call_id FROM calls ORDER BY seq").toArray();
			return { ran, rows: rows.map((row) => [row.seq, row.call_id]) };
		});
		expect(result).toEqual({
			ran: ["0003_number_calls_and_track_fan_outs"],
			rows: [
				[1, "a"],
				[2, "b"],
			],
		});
		// A call registering after the upgrade comes after them.
		await registry.register("c");
		expect(await registry.callIds()).toEqual(["c", "b", "a"]);
	});
});
