import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callObject } from "../../src/calls/call-object";
import { madeSchema } from "../../src/objects/made-schema";
import {
	applyMigrations,
	CALL_MIGRATIONS,
	KEYS_MIGRATIONS,
	MEETING_MIGRATIONS,
	type Migration,
	REGISTRY_MIGRATIONS,
} from "../../src/objects/migrations";
import { uniqueCallId } from "../helpers/graph";

// An empty database is made from the schema a full run of the migrations made earlier in the isolate
// (src/objects/made-schema.ts): it must come out exactly as if every migration had run on it.

type Named = { name: string; type: string };

/** Everything a schema is made of, and what the migrations left in it. */
function shape(sql: SqlStorage) {
	const master = sql
		.exec<Named & { tbl_name: string; sql: string | null }>(
			"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE substr(name, 1, 4) != '_cf_' ORDER BY name",
		)
		.toArray();
	const columns = master
		.filter((one) => one.type === "table")
		.map((table) => ({
			table: table.name,
			columns: sql.exec(`PRAGMA table_xinfo("${table.name}")`).toArray(),
			rows: rowsOf(sql, table.name),
		}));
	const indexes = master
		.filter((one) => one.type === "index")
		.map((index) => ({ index: index.name, columns: sql.exec(`PRAGMA index_xinfo("${index.name}")`).toArray() }));
	const migrations = sql.exec("SELECT name FROM _migrations ORDER BY name").toArray();
	return { master, columns, indexes, migrations };
}

/**
 * What the migrations left in a table (none of them keeps a row in an empty database). In sqlite_sequence a
 * migration's INSERT … SELECT of no rows leaves a 0, which numbers the next row as no entry at all does.
 */
function rowsOf(sql: SqlStorage, table: string) {
	if (table === "_migrations") return undefined;
	if (table === "sqlite_sequence") return sql.exec("SELECT name, seq FROM sqlite_sequence WHERE seq > 0").toArray();
	return sql.exec(`SELECT count(*) AS n FROM "${table}"`).one().n;
}

/** The migrations run one by one on an emptied database, as applyMigrations always did. */
function oneByOne(storage: DurableObjectStorage, migrations: readonly Migration[]) {
	storage.sql.exec("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
	for (const migration of migrations)
		storage.transactionSync(() => {
			storage.sql.exec(migration.sql);
			storage.sql.exec("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", migration.name, "x");
		});
}

const emptyObject = () => callObject(env, "ns-made-schema", uniqueCallId());

describe("an empty database made from the schema a full run made", () => {
	it.each([
		["call", CALL_MIGRATIONS],
		["registry", REGISTRY_MIGRATIONS],
		["meeting", MEETING_MIGRATIONS],
		["keys", KEYS_MIGRATIONS],
	] as const)("is the %s schema the migrations make one by one", async (_, migrations) => {
		const reference = await runInDurableObject(emptyObject(), async (_, state) => {
			await state.storage.deleteAll();
			oneByOne(state.storage, migrations);
			return shape(state.storage.sql);
		});
		const made = await runInDurableObject(emptyObject(), async (_, state) => {
			// The first run from empty fills the memory if nothing in this isolate had; the second is made from it.
			await state.storage.deleteAll();
			applyMigrations(state.storage, migrations);
			await state.storage.deleteAll();
			const ran = applyMigrations(state.storage, migrations);
			return { ran, remembered: madeSchema(migrations) !== undefined, shape: shape(state.storage.sql) };
		});
		expect(made.remembered).toBe(true);
		expect(made.ran).toEqual(migrations.map((m) => m.name));
		expect(made.shape).toEqual(reference);
		expect(reference.master.length).toBeGreaterThan(migrations.length);
	});

	it("is remembered only from a run of every migration on an empty database", async () => {
		const migrations = [...REGISTRY_MIGRATIONS];
		const partly = await runInDurableObject(emptyObject(), async (_, state) => {
			await state.storage.deleteAll();
			oneByOne(state.storage, migrations.slice(0, 1));
			return { ran: applyMigrations(state.storage, migrations).length, remembered: madeSchema(migrations) };
		});
		expect(partly).toEqual({ ran: migrations.length - 1, remembered: undefined });

		const fully = await runInDurableObject(emptyObject(), async (_, state) => {
			await state.storage.deleteAll();
			return { ran: applyMigrations(state.storage, migrations).length, remembered: madeSchema(migrations) };
		});
		expect(fully.ran).toBe(migrations.length);
		expect(fully.remembered).toMatch(/CREATE TABLE "?calls"? \(/);
		expect(fully.remembered).not.toContain("_migrations");
	});

	it("upgrades with a file appended later, keeping its rows, like any database", async () => {
		const result = await runInDurableObject(emptyObject(), async (_, state) => {
			await state.storage.deleteAll();
			applyMigrations(state.storage, CALL_MIGRATIONS);
			await state.storage.deleteAll();
			applyMigrations(state.storage, CALL_MIGRATIONS); // made from the remembered schema
			state.storage.sql.exec("INSERT INTO operations (id, body) VALUES ('kept', '{}')");
			const ran = applyMigrations(state.storage, [
				...CALL_MIGRATIONS,
				{ name: "0099_add_note", sql: "ALTER TABLE operations ADD COLUMN note TEXT;" },
			]);
			const kept = state.storage.sql.exec("SELECT id FROM operations").toArray().length;
			return { ran, kept };
		});
		expect(result).toEqual({ ran: ["0099_add_note"], kept: 1 });
	});
});
