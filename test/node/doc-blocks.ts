// Reads the runnable shell blocks out of a markdown page, for test/node/docs-blocks.test.ts. The
// convention (docs/guides/README.md, "Code blocks are run"): a ```sh block runs unless the last non-blank
// line before it is `<!-- not run: why -->`; `# → text` lines check what the commands before them printed.

/** Commands run in one go, and what their output must show (one entry per `# →` line). */
export type Step = { code: string; expect: string[]; line: number };
export type Skipped = { line: number; reason: string };

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const NOT_RUN = /^<!--\s*not run:\s*(.*?)\s*-->$/;
const CHECK = /^\s*# →\s?(.*)$/;

/** The page's runnable steps in order, and the shell blocks it marks not run (each with its reason). */
export function extractSteps(markdown: string): { steps: Step[]; skipped: Skipped[] } {
	const lines = markdown.split("\n");
	const steps: Step[] = [];
	const skipped: Skipped[] = [];
	let previous = "";
	for (let i = 0; i < lines.length; i++) {
		const open = FENCE.exec(lines[i] ?? "");
		if (!open) {
			if ((lines[i] ?? "").trim()) previous = (lines[i] ?? "").trim();
			continue;
		}
		const [, indent = "", fence = "", language] = open;
		const body: string[] = [];
		const start = i + 1;
		for (i++; i < lines.length && !(lines[i] ?? "").trim().startsWith(fence); i++)
			body.push((lines[i] ?? "").slice(indent.length));
		const notRun = NOT_RUN.exec(previous);
		previous = "";
		if (language !== "sh") continue;
		if (notRun) {
			if (!notRun[1]) throw new Error(`line ${start}: "not run" needs a reason`);
			skipped.push({ line: start, reason: notRun[1] });
			continue;
		}
		steps.push(...blockSteps(body, start + 1));
	}
	return { steps, skipped };
}

/** A block cut after each run of `# →` lines: the code before a run is the step those lines check. */
function blockSteps(body: string[], firstLine: number): Step[] {
	const steps: Step[] = [];
	let code: string[] = [];
	let line = firstLine;
	// Comments and blank lines are no command: a check after only those checks the step before them.
	const commands = () => code.some((c) => c.trim() && !c.trim().startsWith("#"));
	body.forEach((text, index) => {
		const check = CHECK.exec(text);
		const last = steps.at(-1);
		if (!check) {
			if (!code.length) line = firstLine + index;
			code.push(text);
		} else if (commands()) {
			steps.push({ code: code.join("\n"), expect: [check[1] ?? ""], line });
			code = [];
		} else if (last) last.expect.push(check[1] ?? "");
		else throw new Error(`line ${firstLine + index}: a "# →" line with no command before it`);
	});
	if (commands()) steps.push({ code: code.join("\n"), expect: [], line });
	return steps;
}

const squeeze = (text: string) => text.replace(/\s+/g, " ").trim();
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether the output shows every expected line, in order, each within one output line: `…` stands for
 * any text (ids, times), and runs of white space compare as one space. Returns the first line not found.
 */
export function firstMissing(output: string, expected: string[]): string | undefined {
	const lines = output.split("\n").map(squeeze);
	let at = 0;
	for (const want of expected) {
		const pattern = new RegExp(squeeze(want).split("…").map(escapeRegExp).join(".*"));
		const found = lines.findIndex((line, index) => index >= at && pattern.test(line));
		if (found < 0) return want;
		at = found + 1;
	}
	return undefined;
}
