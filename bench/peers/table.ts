import type { Measured } from "../load.ts";
import { metOrNot } from "../report.ts";

// The peers' report: each scenario's figures for the stub (both ways it keeps state) and each peer, the
// ratio of the stub in the peer's own durability class, and the issue's target for it.

/** One side of the comparison: the stub one way or the other, or a peer. */
export type SideResult = {
	label: string;
	/** Every turn of one scenario, in order, and the turns combined. */
	slices: Measured[];
	combined: Measured;
	/** The serving tree's RSS while its turns ran (MB). */
	loadedMb: number;
	/** The serving tree's CPU time per answered request over its turns (µs). */
	cpuUsPerRequest: number;
};

/** The stub ahead of Prism, Mockoon and json-server; at least 0.8× mockttp (issue 23). */
export const PEER_TARGET: Record<string, number> = { Prism: 1, Mockoon: 1, "json-server": 1, mockttp: 0.8 };

const ratio = (stub: Measured, peer: Measured) => stub.requestsPerSecond / Math.max(peer.requestsPerSecond, 1);
const turns = (stub: SideResult, peer: SideResult) => {
	const each = stub.slices.map((m, i) => m.requestsPerSecond / Math.max(peer.slices[i]?.requestsPerSecond ?? 0, 1));
	return `${Math.min(...each).toFixed(2)}–${Math.max(...each).toFixed(2)}`;
};

const cpu = (side: SideResult) => side.cpuUsPerRequest.toFixed(0);

export type ScenarioResult = { scenario: string; memory: SideResult; disk: SideResult; peers: SideResult[] };

/** Whether the stub (in memory) meets the target against `peer`; undefined without a target. */
export function met(result: ScenarioResult, peer: SideResult): boolean | undefined {
	const target = PEER_TARGET[peer.label];
	if (target === undefined) return undefined;
	const r = ratio(result.memory.combined, peer.combined);
	return target === 1 ? r > 1 : r >= target;
}

export function peersTable(results: ScenarioResult[]): string {
	const lines = [
		"| scenario | peer | its req/s | its p50 / p99 ms | its CPU µs/req | stub `--memory` req/s | p50 / p99 ms | CPU µs/req | ratio (turns) | target | stub on disk req/s | p50 / p99 ms | CPU µs/req | on-disk ratio |",
		"|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
	];
	for (const result of results) {
		const { memory, disk } = result;
		for (const peer of result.peers) {
			const target = PEER_TARGET[peer.label];
			const verdict =
				target === undefined
					? "–"
					: `${target === 1 ? "> 1×" : `≥ ${target}×`}: ${metOrNot(met(result, peer) ?? false)}`;
			const p = peer.combined;
			lines.push(
				`| ${result.scenario} | ${peer.label} | ${p.requestsPerSecond.toFixed(0)} | ${p.p50} / ${p.p99} | ${cpu(peer)} | ${memory.combined.requestsPerSecond.toFixed(0)} | ${memory.combined.p50} / ${memory.combined.p99} | ${cpu(memory)} | ${ratio(memory.combined, p).toFixed(2)}× (${turns(memory, peer)}) | ${verdict} | ${disk.combined.requestsPerSecond.toFixed(0)} | ${disk.combined.p50} / ${disk.combined.p99} | ${cpu(disk)} | ${ratio(disk.combined, p).toFixed(2)}× |`,
			);
		}
	}
	return lines.join("\n");
}

/** Each serving tree's RSS: idle after start-up and seeding, and the most while its turns ran. */
export function footprintTable(
	idleMb: Map<string, number>,
	loadedMb: Map<string, number>,
	versions: Map<string, string>,
) {
	const lines = ["| server | version | tree RSS idle MB | tree RSS under load, max MB |", "|---|---|---:|---:|"];
	for (const [label, idle] of idleMb)
		lines.push(
			`| ${label} | ${versions.get(label) ?? "–"} | ${idle.toFixed(0)} | ${(loadedMb.get(label) ?? 0).toFixed(0)} |`,
		);
	return lines.join("\n");
}
