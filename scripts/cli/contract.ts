// What the CLI (dist/cli.js) and the processes that start it (the bin launcher, startStub()) agree on.

/** Set by a parent process: the file descriptor of a pipe from it; when the pipe closes, the stub stops. */
export const LIFELINE_ENV = "GRAPH_COMMS_STUB_LIFELINE_FD";

/** The token --config applies to when no --token is given, and the one the banner's example uses. */
export const DEFAULT_TOKEN = "any-token";

/** The line `--json` prints on stdout once the stub serves. */
export type ReadyLine = {
	url: string;
	caFile: string | null;
	stateDir: string;
	/** The state folder is a temporary one in memory (a tmpfs): nothing reaches the disk. */
	memory: boolean;
	tokens: string[];
	pid: number;
};
