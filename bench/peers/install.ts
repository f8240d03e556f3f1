import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

// The peers are installed on demand into a cache folder of their own, never into the project (its
// package.json and lockfile stay untouched): `npm install --prefix <cache> --save-exact` of the pinned
// versions, once; later runs find them there. GRAPH_COMMS_STUB_PEERS_CACHE names another folder.

/** The pinned versions; `node` 24 only runs Prism (its engines ask for Node ≥ 24.18). */
export const PINNED = {
	"@stoplight/prism-cli": "5.16.0",
	"@mockoon/cli": "9.9.0",
	"json-server": "0.17.4",
	mockttp: "4.7.0",
	node: "24.21.0",
} as const;

export type PeerPackage = keyof typeof PINNED;

export const peersCache = () =>
	process.env.GRAPH_COMMS_STUB_PEERS_CACHE ?? join(homedir(), ".cache", "graph-comms-stub-peers");

const installedVersion = (cache: string, name: string): string | undefined => {
	const manifest = join(cache, "node_modules", name, "package.json");
	if (!existsSync(manifest)) return undefined;
	return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
};

/** Installs whatever pinned package the cache lacks (or holds at another version); returns the cache folder. */
export function installPeers(log: (line: string) => void): string {
	const cache = peersCache();
	const missing = Object.entries(PINNED).filter(([name, version]) => installedVersion(cache, name) !== version);
	if (missing.length) {
		const specs = missing.map(([name, version]) => `${name}@${version}`);
		log(`installing ${specs.join(", ")} into ${cache}…`);
		execFileSync(
			"npm",
			["install", "--prefix", cache, "--save-exact", "--no-audit", "--no-fund", "--loglevel=error", ...specs],
			{ stdio: ["ignore", "inherit", "inherit"], timeout: 600_000 },
		);
	}
	return cache;
}

/** A file inside an installed package. */
export const packageFile = (cache: string, name: PeerPackage, ...path: string[]) =>
	join(cache, "node_modules", name, ...path);
