import * as v from "valibot";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export const Int32 = v.pipe(
	v.number("must be an int32 number"),
	v.integer("must be an int32 number"),
	v.minValue(INT32_MIN, `must be at least ${INT32_MIN}`),
	v.maxValue(INT32_MAX, `must be at most ${INT32_MAX}`),
);

// No control characters and no lone surrogates: such an id could not round-trip through a URL.
const PRINTABLE = /^[^\p{Cc}]*$/u;

/** An entity key or path segment a tester chose: 1–128 printable characters. */
export const Key = v.pipe(
	v.string("must be a string"),
	v.check((input) => input.length > 0 && [...input].length <= 128, "must be 1 to 128 characters long"),
	v.check((input) => PRINTABLE.test(input) && input.isWellFormed(), "must contain only printable characters"),
);

/** `clientContext`: Graph documents a limit of 256 characters. */
export const ClientContext = v.nullable(
	v.pipe(
		v.string("must be a string or null"),
		v.check((input) => [...input].length <= 256, "must be at most 256 characters long"),
	),
);
