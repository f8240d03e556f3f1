import * as v from "valibot";

// The one table of a keypad's keys, in both of Graph's spellings: the `tone` enum (`tone1`, `pound`,
// `star`, `a` … as toneInfo and sendDtmfTones name them) and the key itself (`1`, `#`, `*`, `A` … as
// recordResponse's `stopTones` does). Where the stub takes a key from a tester or in a free-text Graph
// field (`POST /_stub/calls/{id}/tones`, `stopTones`), either spelling is accepted; sendDtmfTones keeps
// Graph's enum (Graph's `tones` is `Collection(graph.tone)`: a key there is refused, as Graph does).

const KEYS: readonly (readonly [tone: string, key: string])[] = [
	...Array.from({ length: 10 }, (_, i) => [`tone${i}`, String(i)] as const),
	["star", "*"],
	["pound", "#"],
	["a", "A"],
	["b", "B"],
	["c", "C"],
	["d", "D"],
];

const TONE_OF = new Map<string, string>();
const KEY_OF = new Map<string, string>();
for (const [tone, key] of KEYS)
	for (const spelling of [tone, key.toLowerCase()]) {
		TONE_OF.set(spelling, tone);
		KEY_OF.set(spelling, key);
	}
TONE_OF.set("flash", "flash"); // a tone with no key: toneInfo may name it, no stop tone can

/** The `tone` enum name of a key in either spelling (`#` and `pound` → `pound`); undefined if none. */
const toneName = (spelling: string) => TONE_OF.get(spelling.toLowerCase());

/** The key of a tone in either spelling (`pound` and `#` → `#`); undefined if none (or `flash`). */
export const keyOf = (spelling: string) => KEY_OF.get(spelling.toLowerCase());

const SPELLINGS = "0–9, *, #, A–D, or tone0–tone9, star, pound, a–d";

/** A key pressed on the far side (`POST /_stub/calls/{id}/tones`), either spelling, as its tone name. */
export const PressedTone = v.pipe(
	v.string(`must be a tone: ${SPELLINGS}, flash`),
	v.check(
		(text) => toneName(text) !== undefined,
		(issue) => `'${String(issue.input)}' is not a tone: ${SPELLINGS}, flash`,
	),
	v.transform((text) => toneName(text) as string),
);

/** A stop tone of recordResponse, either spelling; kept as sent (the operation echoes what the bot sent). */
export const StopTone = v.pipe(
	v.string(`must be a key: ${SPELLINGS}`),
	v.check(
		(text) => keyOf(text) !== undefined,
		(issue) => `'${String(issue.input)}' is not a key: ${SPELLINGS}`,
	),
);
