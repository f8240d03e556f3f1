import type { TestProject } from "vitest/node";
import { bundleWorker } from "../../../scripts/local-stub.ts";

/** The Worker is bundled once per run, here; every e2e file serves that one file. */
export default async function setup(project: TestProject) {
	project.provide("stubBundle", await bundleWorker());
}
