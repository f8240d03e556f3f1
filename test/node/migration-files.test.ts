import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../../scripts/local-stub.ts";

// src/objects/migrations.ts imports each SQL file by hand (workerd has no file system to list);
// this keeps those lists and the folders from drifting apart.
it.each(["call", "registry", "keys", "meeting"])(
	"lists every file of migrations/%s, in order, each once",
	async (folder) => {
		const files = (await readdir(join(ROOT, "migrations", folder))).filter((file) => file.endsWith(".sql")).sort();
		expect(files.every((file) => /^\d{4}_[a-z]+(_[a-z]+)*\.sql$/.test(file))).toBe(true);
		expect(files.map((file) => Number(file.slice(0, 4)))).toEqual(files.map((_, i) => i + 1));

		const source = await readFile(join(ROOT, "src", "objects", "migrations.ts"), "utf8");
		const imported = [...source.matchAll(new RegExp(`migrations/${folder}/(\\d{4}_\\w+)\\.sql`, "g"))].map((m) => m[1]);
		expect(imported).toEqual(files.map((file) => file.replace(/\.sql$/, "")));
		const listName = `${folder.toUpperCase()}_MIGRATIONS`;
		const list = new RegExp(`${listName}[^=]*=\\s*\\[([^\\]]*)\\]`).exec(source)?.[1] ?? "";
		expect([...list.matchAll(/name: "([^"]+)"/g)].map((m) => m[1])).toEqual(imported);
	},
);
