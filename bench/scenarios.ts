import type { Scenario } from "./load.ts";

// The single scenarios `npm run bench:profile` and `npm run bench:compare` drive, each with the path its
// baseline of the same kind answers on (bench/baseline-worker.js). `npm run bench` pairs them the same way.
const JSON_HEADERS = { "Content-Type": "application/json" };
const ops = (callId: string) => `/beta/communications/calls/${callId}/operations`;
const CREATE_BODY = JSON.stringify({ "@odata.type": "#microsoft.graph.playPromptOperation", status: "Running" });

/** Stores the operation the GET scenario reads (the baseline's `/read` reads the first row of `/one`). */
export async function seed(base: URL, baseline: boolean): Promise<void> {
	const response = await fetch(new URL(baseline ? "/one" : ops("p"), base), {
		method: "POST",
		headers: { Authorization: "Bearer bench-token", ...JSON_HEADERS },
		body: JSON.stringify({ id: "op-1" }),
	});
	if (response.status !== 201) throw new Error(`seeding failed: ${response.status}`);
}

/** Each call of `path` spreads requests over `count` names, in turn. */
const spread = (name: (n: number) => string, count: number) => {
	let counter = 0;
	return () => name(counter++ % count);
};

type Named = { stub: () => Scenario; baselinePath: () => () => string; baselineStatus: number };

const NAMED: Record<string, Named> = {
	get: {
		stub: () => ({ name: "get one operation", method: "GET", path: () => `${ops("p")}/op-1`, expectedStatus: 200 }),
		baselinePath: () => () => "/read",
		baselineStatus: 200,
	},
	refused: {
		stub: () => ({
			name: "refused create (400)",
			method: "POST",
			path: () => ops("p"),
			body: '{"status":"Bogus"}',
			headers: JSON_HEADERS,
			expectedStatus: 400,
		}),
		baselinePath: () => () => "/trivial",
		baselineStatus: 201,
	},
	create: {
		stub: () => ({
			name: "create, one call",
			method: "POST",
			path: () => ops("p"),
			body: CREATE_BODY,
			headers: JSON_HEADERS,
			expectedStatus: 201,
		}),
		baselinePath: () => () => "/one",
		baselineStatus: 201,
	},
	create100: {
		stub: () => ({
			name: "create, 100 calls",
			method: "POST",
			path: spread((n) => ops(`p-${n}`), 100),
			body: CREATE_BODY,
			headers: JSON_HEADERS,
			expectedStatus: 201,
		}),
		baselinePath: () => spread((n) => `/many/${n}`, 100),
		baselineStatus: 201,
	},
};

export const SCENARIO_NAMES = Object.keys(NAMED);

/** A fresh scenario (its own path counter) by name; `baseline` gives its baseline's instead. */
export function scenario(name: string, baseline = false): Scenario {
	const named = NAMED[name];
	if (!named) throw new Error(`--scenario is one of ${SCENARIO_NAMES.join(", ")}`);
	const stub = named.stub();
	return baseline
		? { ...stub, name: `baseline of ${stub.name}`, path: named.baselinePath(), expectedStatus: named.baselineStatus }
		: stub;
}
