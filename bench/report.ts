import { cpus, totalmem } from "node:os";
import type { Measured } from "./load.ts";

export type Row = Measured & { throughputRatio: number; p99Ratio: number; expectedStatus: string };

export const machine = () =>
	`${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

const fixed = (value: number, digits = 2) => value.toFixed(digits);

/** A Markdown table: each scenario's figures and its ratios against the baseline of the same run. */
export function table(rows: Row[]): string {
	const lines = [
		"| scenario | req/s | p50 ms | p99 ms | errors | non-2xx | expected | req/s vs baseline | p99 vs baseline |",
		"|---|---:|---:|---:|---:|---:|---|---:|---:|",
	];
	for (const row of rows) {
		lines.push(
			`| ${row.scenario} | ${fixed(row.requestsPerSecond, 0)} | ${row.p50} | ${row.p99} | ${row.errors} | ${row.non2xx} | ${row.expectedStatus} | ${fixed(row.throughputRatio)}× | ${fixed(row.p99Ratio)}× |`,
		);
	}
	return lines.join("\n");
}
