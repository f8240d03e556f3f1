import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/local-stub.ts";
import { type RunningStub, startStub } from "../e2e/helpers/stub.ts";
import { extractSteps, firstMissing, type Step } from "./doc-blocks.ts";

// The docs cannot rot: every ```sh block of the README and the guides runs, in order, against a real stub
// served as `npm start` serves it, and what a block shows after `# →` must be what it printed. The
// convention is docs/guides/README.md's "Code blocks are run".

const GUIDES = join(ROOT, "docs", "guides");
const pages = [
	"README.md",
	...(await readdir(GUIDES))
		.filter((name) => name.endsWith(".md"))
		.sort()
		.map((name) => `docs/guides/${name}`),
];
const PAGE_TIMEOUT_MS = 30_000;

const freePort = () =>
	new Promise<number>((done, fail) => {
		const server = createServer().listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
		});
	});

const MARK = "\u001estep ";

/** Runs a page's steps in one bash, in a folder of its own (with `examples/` linked in); the output per step. */
async function runPage(steps: Step[], ports: Record<string, number>) {
	const folder = await mkdtemp(join(tmpdir(), "docs-blocks-"));
	await symlink(join(ROOT, "examples"), join(folder, "examples"));
	const rewrite = (text: string) =>
		Object.entries(ports).reduce((out, [from, to]) => out.replace(new RegExp(`\\b${from}\\b`, "g"), String(to)), text);
	const script = [
		"set -eo pipefail",
		...steps.map((step, index) => `printf '\\n${MARK}%d\\n' ${index}\n${rewrite(step.code)}`),
		`printf '\\n${MARK}end\\n'`,
	].join("\n");
	await writeFile(join(folder, "page.sh"), script);
	const child = spawn("bash", ["page.sh"], { cwd: folder, detached: true, stdio: ["ignore", "pipe", "pipe"] });
	const closed = new Promise((done) => child.on("close", done));
	let stdout = "";
	let stderr = "";
	child.stdout.on("data", (chunk) => (stdout += chunk));
	child.stderr.on("data", (chunk) => (stderr += chunk));
	const timer = setTimeout(() => process.kill(-(child.pid ?? 0), "SIGKILL"), PAGE_TIMEOUT_MS);
	const code = await new Promise<number | null>((done) => child.on("exit", done));
	clearTimeout(timer);
	// Whatever a block left running in the background (a receiver, a bot) goes with the page.
	try {
		process.kill(-(child.pid ?? 0), "SIGTERM");
	} catch {}
	await Promise.race([closed, new Promise((done) => setTimeout(done, 2000))]);
	const outputs = new Map<string, string>();
	for (const part of stdout.split(`\n${MARK}`).slice(1)) {
		const newline = part.indexOf("\n");
		outputs.set(part.slice(0, newline), part.slice(newline + 1));
	}
	return { code, outputs, stderr, rewrite };
}

let stub: RunningStub;
beforeAll(async () => {
	stub = await startStub();
});
afterAll(() => stub?.dispose());

describe.sequential("the docs' shell blocks", () => {
	for (const page of pages) {
		it(`${page}: every runnable block runs and prints what it shows`, {
			timeout: PAGE_TIMEOUT_MS + 10_000,
		}, async () => {
			const { steps } = extractSteps(await readFile(join(ROOT, page), "utf8"));
			if (!steps.length) return;
			// Each page starts from an empty namespace, as a newcomer's fresh `npm start` would.
			const auth = { Authorization: "Bearer any-token" };
			for (const path of ["/_stub/calls", "/_stub/config"])
				expect((await fetch(`${stub.base}${path}`, { method: "DELETE", headers: auth })).ok).toBe(true);
			const { code, outputs, stderr, rewrite } = await runPage(steps, {
				8787: Number(stub.url.port),
				3978: await freePort(),
			});
			const where = (step: Step) => `${page}:${step.line}\n${rewrite(step.code)}`;
			steps.forEach((step, index) => {
				const output = outputs.get(String(index));
				if (output === undefined) return;
				// DOCS_BLOCKS_PRINT=1 shows what each step printed: the way to write a block's `# →` lines.
				if (process.env.DOCS_BLOCKS_PRINT) console.log(`── ${where(step)}\n${output}`);
				const missing = firstMissing(output, step.expect.map(rewrite));
				expect(missing, `${where(step)}\nprinted:\n${output}\nstderr:\n${stderr}`).toBeUndefined();
			});
			const next = (index: number) => (index + 1 < steps.length ? String(index + 1) : "end");
			const failed = steps.find((_, index) => outputs.has(String(index)) && !outputs.has(next(index)));
			expect(
				outputs.has("end"),
				`stopped (exit ${code}) in ${failed ? where(failed) : "?"}\nstderr:\n${stderr.slice(-2000)}`,
			).toBe(true);
		});
	}
});

// GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered.
function anchors(markdown: string) {
	const seen = new Map<string, number>();
	const out = new Set<string>();
	for (const [, heading = ""] of markdown.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6} (.*)$/gm)) {
		const slug = heading
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, "")
			.replace(/\s/g, "-");
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		out.add(count ? `${slug}-${count}` : slug);
	}
	return out;
}

it("links between the README, the guides and docs/ lead to files and headings that exist", async () => {
	const docs = [
		...pages,
		...(await readdir(join(ROOT, "docs"))).filter((n) => n.endsWith(".md")).map((n) => `docs/${n}`),
	];
	const broken: string[] = [];
	for (const page of docs) {
		const text = (await readFile(join(ROOT, page), "utf8")).replace(/^```[\s\S]*?^```/gm, "");
		for (const [, target = ""] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
			if (/^[a-z]+:/.test(target)) continue;
			const [path = "", anchor] = target.split("#");
			const file = path ? resolve(dirname(join(ROOT, page)), path) : join(ROOT, page);
			if (!existsSync(file)) broken.push(`${page}: ${target} (no ${relative(ROOT, file)})`);
			else if (anchor && file.endsWith(".md") && !anchors(await readFile(file, "utf8")).has(anchor))
				broken.push(`${page}: ${target} (no heading #${anchor})`);
		}
	}
	expect(broken).toEqual([]);
});

describe("the convention", () => {
	const page = [
		"<!-- not run: needs a deployment -->",
		"",
		"```sh",
		"curl https://example.invalid",
		"```",
		"```sh",
		"A=1",
		"echo $A",
		"# → 1",
		"# a comment, not a check",
		"# → …",
		"echo done",
		"```",
		"```ts",
		"never(run);",
		"```",
		"  ```sh",
		"  echo indented",
		"  # → indented",
		"  ```",
	].join("\n");

	it("runs sh blocks not marked `not run`, cut after each run of `# →` lines", () => {
		const { steps, skipped } = extractSteps(page);
		expect(skipped).toEqual([{ line: 3, reason: "needs a deployment" }]);
		expect(steps.map(({ code, expect }) => ({ code, expect }))).toEqual([
			{ code: "A=1\necho $A", expect: ["1", "…"] },
			{ code: "# a comment, not a check\necho done", expect: [] },
			{ code: "echo indented", expect: ["indented"] },
		]);
	});

	it("refuses a `not run` without a reason", () => {
		expect(() => extractSteps("<!-- not run: -->\n```sh\necho\n```")).toThrow(/needs a reason/);
	});

	it("finds expected lines in order, each within one line, `…` for any text", () => {
		const output = '{"id":"4f2c","status":"running"}\nsecond  line\n';
		expect(firstMissing(output, ['{"id":"…","status":"running"}', "second line"])).toBeUndefined();
		expect(firstMissing(output, ["second line", '"status"'])).toBe('"status"');
		expect(firstMissing(output, ['"status":"completed"'])).toBe('"status":"completed"');
	});

	it("finds runnable blocks in the README and the guides", async () => {
		let count = 0;
		for (const name of pages) count += extractSteps(await readFile(join(ROOT, name), "utf8")).steps.length;
		expect(count).toBeGreaterThan(40);
	});
});
