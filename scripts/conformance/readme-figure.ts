import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// The last step of `npm run conformance`: copies the figure docs/conformance.md now states into the
// README's "Conformance:" line, so the README says what the latest replay found.

const ROOT = join(import.meta.dirname, "..", "..");
const page = readFileSync(join(ROOT, "docs", "conformance.md"), "utf8");
const figure = /\*\*(\d+ of \d+) documented examples match\*\*/.exec(page)?.[1];
if (!figure) throw new Error("docs/conformance.md states no figure");
const readmePath = join(ROOT, "README.md");
const readme = readFileSync(readmePath, "utf8");
const line = /^Conformance: \*\*\d+ of \d+\*\*/m;
if (!line.test(readme)) throw new Error("README.md has no line starting `Conformance: **N of M**`");
writeFileSync(readmePath, readme.replace(line, `Conformance: **${figure}**`));
console.log(`README: Conformance: ${figure}`);
