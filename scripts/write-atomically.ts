import { rename, writeFile } from "node:fs/promises";

/**
 * Writes `file` under a temporary name and renames it into place: a reader (npm start running the server,
 * workerd loading the Worker) never sees half a file, even when two processes build into one folder.
 */
export async function writeAtomically(file: string, contents: string | Uint8Array): Promise<void> {
	const partial = `${file}.${process.pid}.${Date.now()}.partial`;
	await writeFile(partial, contents);
	await rename(partial, file);
}
