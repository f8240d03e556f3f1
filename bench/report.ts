import { cpus, totalmem } from "node:os";
import type { Measured } from "./load.ts";

/** A scenario's figures, its baseline's, and the target the issue set for their ratio (if any). */
export type Row = {
	stub: Measured;
	baseline: Measured;
	rowsWritten: { stub: number | undefined; baseline: number | undefined };
	/** The req/s ratio of each turn: how far one turn's figure can stray from the whole run's. */
	roundRatios: number[];
	target?: { minThroughput?: number; maxP99?: number };
	/** The serving process tree's RSS (MB) while the scenario ran (sampled every 250 ms). */
	rss?: { maxMb: number; meanMb: number };
};

/** The footprint targets: the serving tree idle, and under the bench's load. */
export const RSS_TARGET = { idleMb: 150, loadedMb: 400 };
/** `npm start` serving within this long of its start, a build already made (issue 23). */
export const READY_TARGET_MS = 1000;

export const metOrNot = (met: boolean) => (met ? "**met**" : "**not met**");

export const machine = () =>
	`${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

const fixed = (value: number | undefined, digits = 2) => (value === undefined ? "–" : value.toFixed(digits));
const range = (ratios: number[]) =>
	ratios.length ? `${fixed(Math.min(...ratios))}–${fixed(Math.max(...ratios))}` : "–";
const percent = (share: number | undefined) => (share === undefined ? "–" : `${Math.round(share * 100)}%`);

export const throughputRatio = (row: Row) => row.stub.requestsPerSecond / row.baseline.requestsPerSecond;
export const p99Ratio = (row: Row) => row.stub.p99 / Math.max(row.baseline.p99, 1);

/** Whether the row meets its targets: "yes", "no", or "–" without one. */
export function verdict(row: Row): string {
	const { target } = row;
	if (!target) return "–";
	const checks: string[] = [];
	let met = true;
	if (target.minThroughput !== undefined) {
		met &&= throughputRatio(row) >= target.minThroughput;
		checks.push(`≥ ${target.minThroughput}×`);
	}
	if (target.maxP99 !== undefined) {
		met &&= p99Ratio(row) <= target.maxP99;
		checks.push(`p99 ≤ ${target.maxP99}×`);
	}
	return `${checks.join(", ")}: ${metOrNot(met)}`;
}

/** Each scenario next to its own baseline, measured in the same run, served the same way. */
export function table(rows: Row[]): string {
	const lines = [
		"| scenario | req/s | p50 ms | p99 ms | workerd CPU µs/req | rows written | baseline | its req/s | its p99 ms | its CPU µs/req | its rows written | req/s ratio (turns) | p99 ratio | target | CPU: ours / others | tree RSS MB: mean / max |",
		"|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
	];
	for (const row of rows) {
		const { stub, baseline } = row;
		lines.push(
			`| ${stub.scenario} | ${fixed(stub.requestsPerSecond, 0)} | ${stub.p50} | ${stub.p99} | ${fixed(stub.cpu?.workerdUsPerRequest, 0)} | ${fixed(row.rowsWritten.stub, 1)} | ${baseline.scenario} | ${fixed(baseline.requestsPerSecond, 0)} | ${baseline.p99} | ${fixed(baseline.cpu?.workerdUsPerRequest, 0)} | ${fixed(row.rowsWritten.baseline, 1)} | ${fixed(throughputRatio(row))}× (${range(row.roundRatios)}) | ${fixed(p99Ratio(row))}× | ${verdict(row)} | ${percent(stub.cpu?.own)} / ${percent(stub.cpu?.others)} | ${row.rss ? `${fixed(row.rss.meanMb, 0)} / ${fixed(row.rss.maxMb, 0)}` : "–"} |`,
		);
	}
	return lines.join("\n");
}

/** Anything that makes a figure suspect: errors, unexpected statuses, other processes' CPU, slow bursts. */
export function notes(measured: Measured[], slowMs: number): string[] {
	const lines: string[] = [];
	for (const m of measured) {
		const problems: string[] = [];
		if (m.errors) problems.push(`${m.errors} connection errors or timeouts`);
		if (m.unexpected) problems.push(`${m.unexpected} answers with an unexpected status`);
		if (m.cpu && m.cpu.others > 0.1) problems.push(`other processes used ${percent(m.cpu.others)} of the CPU`);
		const slow = Object.entries(m.slowBySecond);
		if (slow.length)
			problems.push(
				`answers over ${slowMs} ms (max ${m.max} ms) by second of the run: ${slow.map(([s, n]) => `${s}s×${n}`).join(", ")}`,
			);
		if (problems.length) lines.push(`- ${m.scenario}: ${problems.join("; ")}.`);
	}
	return lines;
}
