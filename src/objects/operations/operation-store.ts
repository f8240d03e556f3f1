import { fail, type Outcome, ok, type StoredOperation } from "../call-results";
import { type NewOperation, newDocument, patchedDocument } from "./operation-document";

/** A write to one call; all of them go through the call's group commit, in arrival order. */
export type CallWrite =
	| { kind: "create"; operation: NewOperation }
	| { kind: "patch"; id: string; changes: [string, unknown][] }
	| { kind: "delete"; id: string };

type OperationRow = { seq: number; body: string };

/** Applies one write at `now`; the operation as it now is (or was, for a delete), or why not. */
export function applyWrite(sql: SqlStorage, write: CallWrite, now: string): Outcome<StoredOperation> {
	switch (write.kind) {
		case "create": {
			const body = newDocument(write.operation, now);
			try {
				const { seq } = sql
					.exec<{ seq: number }>(
						"INSERT INTO operations (id, body) VALUES (?, ?) RETURNING seq",
						write.operation.id,
						body,
					)
					.one();
				return ok({ seq, json: body });
			} catch (error) {
				// The UNIQUE index answers "does this id exist" within the insert. The failed statement writes
				// nothing and, unlike ON CONFLICT DO NOTHING, consumes no sequence number.
				if (String(error).includes("UNIQUE constraint failed")) return fail("conflict");
				throw error;
			}
		}
		case "patch": {
			const row = findOperation(sql, write.id);
			if (!row) return missing(sql);
			const body = patchedDocument(row.body, write.changes, now);
			sql.exec("UPDATE operations SET body = ? WHERE seq = ?", body, row.seq);
			return ok({ seq: row.seq, json: body });
		}
		case "delete": {
			const row = sql
				.exec<OperationRow>("DELETE FROM operations WHERE id = ? RETURNING seq, body", write.id)
				.toArray()[0];
			return row ? ok({ seq: row.seq, json: row.body }) : missing(sql);
		}
	}
}

export function findOperation(sql: SqlStorage, id: string): OperationRow | undefined {
	return sql.exec<OperationRow>("SELECT seq, body FROM operations WHERE id = ?", id).toArray()[0];
}

/** A call exists from its first write on (its call_info row), even once all its operations are deleted. */
export const callExists = (sql: SqlStorage) => sql.exec("SELECT 1 FROM call_info").toArray().length > 0;

/** Why an operation was not found: the call has none at all, or not this one. */
export const missing = <T>(sql: SqlStorage): Outcome<T> => fail(callExists(sql) ? "operationNotFound" : "callNotFound");

/** One page in sequence order: the sequence is the cursor, so a page reads about `top` rows however deep. */
export function listPage(sql: SqlStorage, afterSeq: number, top: number, withCount: boolean) {
	const cursor = sql.exec<OperationRow>(
		"SELECT seq, body FROM operations WHERE seq > ? ORDER BY seq LIMIT ?",
		afterSeq,
		top + 1,
	);
	const rows = cursor.toArray();
	const items = rows.slice(0, top).map((row) => ({ seq: row.seq, json: row.body }));
	return {
		items,
		hasMore: rows.length > top,
		count: withCount ? countOperations(sql) : undefined,
		rowsRead: cursor.rowsRead,
	};
}

export const countOperations = (sql: SqlStorage) =>
	sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM operations").one().n;
