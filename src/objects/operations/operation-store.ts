import { GraphError } from "../../http/graph-error";
import type { ApiVersion } from "../../schema/api-version";
import { parseOperation } from "../../schema/comms-operation";
import { graphTypeName } from "../../schema/odata-type-name";
import { fail, type Outcome, ok, type StoredOperation } from "../call-results";
import { type NewOperation, newDocument, patchedDocument } from "./operation-document";

/**
 * A write to one call; all of them go through the call's group commit, in arrival order. A patch carries
 * its raw body: it is validated inside the write, against the operation's type as stored at that moment.
 */
export type CallWrite =
	| { kind: "create"; operation: NewOperation; version: ApiVersion }
	| { kind: "patch"; id: string; version: ApiVersion; body: Record<string, unknown> }
	| { kind: "delete"; id: string };

type OperationRow = { seq: number; body: string };

/**
 * The highest sequence number the call has handed out: the highest operation's (an index lookup), or a
 * higher one whose operation was deleted (call_info.retired_seq, written only by such a delete).
 */
const HIGHEST_SEQ =
	"max(COALESCE((SELECT retired_seq FROM call_info), 0), COALESCE((SELECT MAX(seq) FROM operations), 0))";

/** Applies one write at `now`; the operation as it now is (or was, for a delete), or why not. */
export function applyWrite(sql: SqlStorage, write: CallWrite, now: string): Outcome<StoredOperation> {
	switch (write.kind) {
		case "create": {
			const body = newDocument(write.operation, now);
			try {
				// The next number after every one handed out: two rows written, the operation and its id's index.
				const { seq } = sql
					.exec<{ seq: number }>(
						`INSERT INTO operations (seq, id, body) VALUES ((${HIGHEST_SEQ}) + 1, ?, ?) RETURNING seq`,
						write.operation.id,
						body,
					)
					.one();
				return ok({ seq, json: body });
			} catch (error) {
				// The UNIQUE index answers "does this id exist" within the insert. The failed statement writes
				// nothing and takes no sequence number.
				if (String(error).includes("UNIQUE constraint failed")) return fail("conflict");
				throw error;
			}
		}
		case "patch": {
			const checked = checkPatch(sql, write);
			if (!checked.ok) return checked;
			const { row, changes } = checked.value;
			const body = patchedDocument(row.body, changes, now);
			sql.exec("UPDATE operations SET body = ? WHERE seq = ?", body, row.seq);
			return ok({ seq: row.seq, json: body });
		}
		case "delete": {
			const row = sql
				.exec<OperationRow>("DELETE FROM operations WHERE id = ? RETURNING seq, body", write.id)
				.toArray()[0];
			if (!row) return missing(sql);
			// Deleting the highest operation: remember its number, so that it is never handed out again.
			sql.exec(
				"UPDATE call_info SET retired_seq = ? WHERE retired_seq < ? AND ? > COALESCE((SELECT MAX(seq) FROM operations), 0)",
				row.seq,
				row.seq,
				row.seq,
			);
			return ok({ seq: row.seq, json: row.body });
		}
	}
}

/** A patch's body validated against the operation's type as stored now: the changes to apply, or why not. */
export function checkPatch(
	sql: SqlStorage,
	write: Extract<CallWrite, { kind: "patch" }>,
): Outcome<{ row: OperationRow; changes: [string, unknown][] }> {
	const row = findOperation(sql, write.id);
	if (!row) return missing(sql);
	const stored = JSON.parse(row.body) as { "@odata.type": string };
	const typeName = graphTypeName(stored["@odata.type"]) ?? "commsOperation";
	try {
		return ok({ row, changes: parseOperation(write.version, write.body, "patch", { id: write.id, typeName }).entries });
	} catch (error) {
		if (!(error instanceof GraphError)) throw error;
		return { ok: false, error: "invalid", message: error.message, details: error.details };
	}
}

export function findOperation(sql: SqlStorage, id: string): OperationRow | undefined {
	return sql.exec<OperationRow>("SELECT seq, body FROM operations WHERE id = ?", id).toArray()[0];
}

/** A call exists from its first write on, even once all its operations are deleted. */
export const callExists = (sql: SqlStorage) =>
	sql.exec("SELECT 1 FROM call_info WHERE written = 1").toArray().length > 0;

/** Why an operation was not found: the call has none at all, or not this one. */
export const missing = <T>(sql: SqlStorage): Outcome<T> => fail(callExists(sql) ? "operationNotFound" : "callNotFound");

export type Count = { value: number; rowsRead: number };

/** One page in sequence order: the sequence is the cursor, so a page reads about `top` rows however deep. */
export function listPage(sql: SqlStorage, afterSeq: number, top: number, count: Count | undefined) {
	const cursor = sql.exec<OperationRow>(
		"SELECT seq, body FROM operations WHERE seq > ? ORDER BY seq LIMIT ?",
		afterSeq,
		top + 1,
	);
	const rows = cursor.toArray();
	const items = rows.slice(0, top).map((row) => ({ seq: row.seq, json: row.body }));
	return { items, hasMore: rows.length > top, count: count?.value, rowsRead: cursor.rowsRead + (count?.rowsRead ?? 0) };
}

/**
 * How many operations the call has, without reading them: numbers are handed out 1, 2, 3 … without gaps
 * (a failed insert takes none), so the highest ever handed out is how many were created; every delete is
 * counted.
 */
export function countOperations(sql: SqlStorage, deleted: number): Count {
	const cursor = sql.exec<{ n: number }>(`SELECT ${HIGHEST_SEQ} AS n`);
	return { value: cursor.one().n - deleted, rowsRead: cursor.rowsRead };
}
