/**
 * Counts the rows a stretch of SQL writes, from each statement's cursor (`rowsWritten`, indexes included):
 * what a deployment is billed for. Statements outside `measure` are not tracked, so nothing accumulates.
 */
export class RowsWrittenMeter {
	private cursors: { rowsWritten: number }[] | undefined;
	/** The SqlStorage to use everywhere: the same object, its `exec` noted while `measure` runs. */
	readonly sql: SqlStorage;

	constructor(sql: SqlStorage) {
		const exec = <T extends Record<string, SqlStorageValue>>(query: string, ...bindings: SqlStorageValue[]) => {
			const cursor = sql.exec<T>(query, ...bindings);
			this.cursors?.push(cursor);
			return cursor;
		};
		this.sql = new Proxy(sql, {
			get: (target, key) => (key === "exec" ? exec : Reflect.get(target, key, target)),
		});
	}

	/** Runs `work`; its result and the rows its statements wrote. */
	measure<T>(work: () => T): [T, number] {
		this.cursors = [];
		try {
			const result = work();
			return [result, this.cursors.reduce((sum, cursor) => sum + cursor.rowsWritten, 0)];
		} finally {
			this.cursors = undefined;
		}
	}
}
