import type { Migration } from "./migrations";

// Every SQL text a Durable Object runs stays compiled in its statement cache for as long as the object is
// in memory — a multi-statement text with every statement in it — so a fresh call object that ran its 15
// migrations one by one (about 54 statements: tables made, altered, rebuilt) held about 220 KB more native
// memory than one that made the same tables in one batch of their CREATE statements (docs/incoming/memory.md).
// So the first empty database of each kind in an isolate runs the migrations one by one, and the schema they
// made is remembered here; every later empty database of that kind is made from it in one batch, and its
// `_migrations` rows say the same as if each had run. A database that has any migration applied upgrades
// one file at a time, as before. (The one trace not made again: a migration's INSERT … SELECT of no rows
// into an AUTOINCREMENT table leaves a 0 in sqlite_sequence, which numbers the next row as no entry does.)

const made = new WeakMap<readonly Migration[], string>();

/** The schema a full run of `migrations` made in an empty database in this isolate, if one ran. */
export const madeSchema = (migrations: readonly Migration[]): string | undefined => made.get(migrations);

/**
 * Remembers the schema `sql`'s database holds now, right after every one of `migrations` ran on it from
 * empty: its tables and indexes in the order they were made (the runtime's `_cf_` tables, SQLite's own and
 * the bookkeeping table left out: those exist already or are made by SQLite itself).
 */
export function rememberSchema(sql: SqlStorage, migrations: readonly Migration[]): void {
	const statements = sql
		.exec<{ sql: string }>(
			`SELECT sql FROM sqlite_master
			 WHERE sql IS NOT NULL AND name != '_migrations'
			   AND substr(name, 1, 4) != '_cf_' AND substr(name, 1, 7) != 'sqlite_'
			 ORDER BY rowid`,
		)
		.toArray()
		.map((row) => row.sql);
	made.set(migrations, statements.map((statement) => `${statement};`).join("\n"));
}
