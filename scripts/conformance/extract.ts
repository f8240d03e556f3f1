import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Corpus, CorpusExample } from "../../test/conformance/corpus.ts";
import { type PageBlock, readPage } from "./markdown.ts";

// npm run conformance:extract -- --git <docs repo's git dir> [--git-repo owner/name] [--ref HEAD]
//                                 [--stubs-ref <commit>] [--dir <folder of page excerpts>]
// Writes test/conformance/corpus.json: every example request, response and notification of the
// cloud-communications reference pages below, each with the page and the commit it was read from.
//
// --git   a clone of microsoftgraph/microsoft-graph-docs-contrib (or of its archived predecessor,
//         microsoftgraph/microsoft-graph-docs, which has the same layout); pages are read at --ref.
// --stubs-ref  the commit of that repository holding doc-stubs/api/commsoperation-*.md (the generated
//         pages for the operations collection, removed from the docs later).
// --dir   a folder laid out like the repository holding single pages (or their example sections);
//         each `x.md` has a `x.md.source.json` {"repo","commit"} naming where it was copied from.
// A page neither source has keeps the examples the corpus already holds for it.

const CORPUS = join(import.meta.dirname, "..", "..", "test", "conformance", "corpus.json");

const PAGES = [
	"application-post-calls",
	"call-get",
	"call-answer",
	"call-reject",
	"call-redirect",
	"call-transfer",
	"call-delete",
	"call-keepalive",
	"call-playprompt",
	"call-record",
	"call-subscribetotone",
	"call-cancelmediaprocessing",
	"call-updaterecordingstatus",
	"call-changescreensharingrole",
	"call-mute",
	"call-unmute",
	"call-senddtmftones",
	"call-list-participants",
	"participant-get",
	"participant-invite",
	"participant-mute",
	"participant-muteall",
	"participant-delete",
	"participant-startholdmusic",
	"participant-stopholdmusic",
];
const OPERATION_STUB_PAGES = ["create", "get", "list", "update", "delete"].map(
	(verb) => `doc-stubs/api/commsoperation-${verb}.md`,
);
const VERSIONS = ["v1.0", "beta"] as const;

type Page = { path: string; repo: string; commit: string; markdown: string };

function argument(name: string) {
	const at = process.argv.indexOf(`--${name}`);
	return at > 0 ? process.argv[at + 1] : undefined;
}
const all = (name: string) =>
	process.argv.flatMap((arg, i) => (arg === `--${name}` ? [process.argv[i + 1] ?? ""] : []));

const git = (gitDir: string, ...args: string[]) =>
	execFileSync("git", ["--git-dir", gitDir, ...args], {
		encoding: "utf8",
		maxBuffer: 64 << 20,
		stdio: ["ignore", "pipe", "ignore"],
	});

function fromGit(gitDir: string, repo: string, ref: string, path: string): Page | undefined {
	try {
		const markdown = git(gitDir, "show", `${ref}:${path}`);
		const commit = git(gitDir, "log", "-1", "--format=%H", ref, "--", path).trim();
		return { path, repo, commit, markdown };
	} catch {
		return undefined;
	}
}

function fromDir(dir: string, path: string): Page | undefined {
	const file = join(dir, path);
	if (!existsSync(file) || !existsSync(`${file}.source.json`)) return undefined;
	const source = JSON.parse(readFileSync(`${file}.source.json`, "utf8")) as { repo: string; commit: string };
	return { path, repo: source.repo, commit: source.commit, markdown: readFileSync(file, "utf8") };
}

/** The documented URL's version and path, without host or version (`/communications/calls/…`). */
function splitUrl(url: string, fallback: string) {
	const parsed = new URL(url, "https://graph.microsoft.com");
	const match = /^\/(v1\.0|beta)(\/.*)$/.exec(parsed.pathname);
	return {
		version: match?.[1] ?? fallback,
		path: decodeURI(match?.[2] ?? parsed.pathname) + parsed.search,
	};
}

const slug = (text: string) =>
	text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, "-")
		.replace(/^-|-$/g, "");

/** A notification's name from its heading ("Notification - establishing" → notification-establishing). */
const notificationName = (heading: string) => {
	const name = slug(heading);
	return name.startsWith("notification") ? name : `notification-${name || "example"}`;
};

/** One page's blocks as corpus examples: a response pairs with the request before it. */
export function examplesOf(page: Page, pageVersion: string): CorpusExample[] {
	const base = page.path.replace(/^.*\//, "").replace(/\.md$/, "");
	const examples: CorpusExample[] = [];
	const ids = new Set<string>();
	const unique = (id: string) => {
		let candidate = id;
		for (let n = 2; ids.has(candidate); n++) candidate = `${id}-${n}`;
		ids.add(candidate);
		return candidate;
	};
	const source = { page: page.path, repo: page.repo, commit: page.commit };
	const blocks: PageBlock[] = readPage(page.markdown);
	let last: CorpusExample | undefined;
	const pendingNotifications: CorpusExample[] = [];
	let version = pageVersion;
	for (const block of blocks) {
		if (block.kind === "request") {
			const url = splitUrl(block.request.url, pageVersion);
			version = url.version;
			last = {
				id: unique(`${version}/${base}/${slug(block.name || block.heading || "request")}`),
				version,
				...source,
				heading: block.heading,
				kind: "exchange",
				request: {
					method: block.request.method,
					path: url.path,
					headers: block.request.headers,
					...(block.request.body === undefined ? {} : { body: block.request.body }),
				},
				notes: [...block.notes],
			};
			examples.push(last);
			// Notifications shown before the page's first request (an incoming call's) belong to it.
			for (const waiting of pendingNotifications.splice(0)) waiting.follows = last.id;
		} else if (block.kind === "response") {
			if (!last || last.response) continue;
			const { body, ...rest } = block.response;
			last.response = { ...rest, ...(body === undefined ? {} : { body }) };
			last.notes.push(...block.notes);
		} else {
			const example: CorpusExample = {
				id: unique(`${version}/${base}/${notificationName(block.heading)}`),
				version,
				...source,
				heading: block.heading,
				kind: "notification",
				notification: block.body,
				...(last ? { follows: last.id } : {}),
				notes: block.notes,
			};
			if (!last) pendingNotifications.push(example);
			examples.push(example);
		}
	}
	return examples;
}

function main() {
	const gitDir = argument("git");
	const gitRepo = argument("git-repo") ?? "microsoftgraph/microsoft-graph-docs-contrib";
	const ref = argument("ref") ?? "HEAD";
	const stubsRef = argument("stubs-ref");
	const dirs = all("dir");
	const previous: Corpus | undefined = existsSync(CORPUS)
		? (JSON.parse(readFileSync(CORPUS, "utf8")) as Corpus)
		: undefined;

	const read = (path: string, gitRef: string | undefined) =>
		dirs.map((dir) => fromDir(dir, path)).find(Boolean) ??
		(gitDir && gitRef ? fromGit(gitDir, gitRepo, gitRef, path) : undefined);

	const examples: CorpusExample[] = [];
	const add = (path: string, version: string, page: Page | undefined) => {
		if (page) examples.push(...examplesOf(page, version));
		else {
			const kept = previous?.examples.filter((example) => example.page === path) ?? [];
			if (kept.length === 0) console.warn(`not found and not in the corpus: ${path}`);
			examples.push(...kept);
		}
	};
	for (const version of VERSIONS)
		for (const name of PAGES) {
			const path = `api-reference/${version}/api/${name}.md`;
			add(path, version, read(path, ref));
		}
	for (const path of OPERATION_STUB_PAGES) add(path, "beta", read(path, stubsRef));

	const corpus: Corpus = {
		about:
			"Examples of Microsoft Graph's cloud-communications reference pages (requests, responses, notifications), " +
			"each with the page and commit it was read from. Written by scripts/conformance/extract.ts; " +
			"replayed by test/conformance/replay.test.ts.",
		examples,
	};
	writeFileSync(CORPUS, `${JSON.stringify(corpus, null, "\t")}\n`);
	// In the repository's own format, so that `npm run lint` passes on a freshly written corpus.
	execFileSync(join(import.meta.dirname, "..", "..", "node_modules", ".bin", "biome"), ["format", "--write", CORPUS]);
	console.log(`${examples.length} examples from ${new Set(examples.map((e) => e.page)).size} pages → ${CORPUS}`);
}

main();
