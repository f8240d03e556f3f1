import * as v from "valibot";
import { version } from "../../package.json";

/**
 * Graph's own notification POSTs say `User-Agent: Microsoft-Skype/3.0,(Calling/1.0)` (observed); the
 * stub says the same and names itself after it, so a bot's filter on Graph's prefix passes and a log
 * still tells the stub apart. `notifications.userAgent` replaces it whole.
 */
export const DEFAULT_USER_AGENT = `Microsoft-Skype/3.0,(Calling/1.0) graph-comms-stub/${version}`;

/** How many notifications a batch holds unless `maxItems` says (inferred: Graph documents no figure). */
export const DEFAULT_BATCH_ITEMS = 10;

const UserAgent = v.pipe(
	v.string("must be a string"),
	v.maxLength(256, "must be at most 256 characters"),
	v.regex(/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/, "must be printable ASCII, not starting or ending with a space"),
);

const MaxItems = v.pipe(
	v.number("must be a number"),
	v.integer("must be a whole number"),
	v.minValue(1, "must be at least 1"),
	v.maxValue(100, "must be at most 100"),
);

/**
 * The `notifications` section of the configuration: how the POSTs to the bot look. `batch` sends the
 * notifications that are due together for one callbackUri in one POST (`value` with up to `maxItems`).
 */
export const NotificationOptions = v.pipe(
	v.strictObject({
		batch: v.optional(v.boolean("must be true or false")),
		maxItems: v.optional(MaxItems),
		userAgent: v.optional(UserAgent),
	}),
	v.forward(
		v.check((options) => options.maxItems === undefined || options.batch === true, "needs batch: true"),
		["maxItems"],
	),
);
export type NotificationOptions = v.InferOutput<typeof NotificationOptions>;

/** How many notifications one POST may carry under `options`: 1 unless batching. */
export const batchLimit = (options: NotificationOptions | undefined) =>
	options?.batch ? (options.maxItems ?? DEFAULT_BATCH_ITEMS) : 1;
