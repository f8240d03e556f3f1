import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStub, startStub } from "../e2e/helpers/stub.ts";
import { inlineRefs } from "./inline-refs.ts";

// In Node, against the stub served over real HTTP: the document is valid OpenAPI 3.1 by a maintained
// validator, and responses on the wire match it by ajv (which workerd cannot run: it compiles code).

type Document = {
	components: { schemas: Record<string, unknown> };
	paths: Record<
		string,
		Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
	>;
};

const OUTPUT = join(import.meta.dirname, "..", "..", "test-results", "openapi");

let stub: RunningStub;
let document: Document;
beforeAll(async () => {
	stub = await startStub();
	document = (await (await fetch(`${stub.base}/_stub/openapi.json`)).json()) as Document;
	// A copy to feed client generators by hand (test-results/ is not committed).
	await mkdir(OUTPUT, { recursive: true });
	await writeFile(join(OUTPUT, "openapi.json"), JSON.stringify(document, null, "\t"));
});
afterAll(() => stub?.dispose());

describe("GET /_stub/openapi.json, over HTTP", () => {
	it("is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)", async () => {
		const validator = new Validator();
		const result = await validator.validate(structuredClone(document) as never);
		expect(result.errors ?? []).toEqual([]);
		expect(result.valid).toBe(true);
		expect(validator.version).toBe("3.1");
	});

	it("a broken document fails that validator (the check can fail)", async () => {
		const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, unknown>> };
		const first = Object.values(broken.paths)[0] ?? {};
		for (const key of Object.keys(first)) first[key] = { responses: "none" };
		expect((await new Validator().validate(broken as never)).valid).toBe(false);
	});

	it("a created operation and a Graph error on the wire match their schemas (ajv)", async () => {
		const ajv = new Ajv2020({ strict: false, allErrors: true });
		addFormats.default(ajv);
		const item = document.paths["/{version}/communications/calls/{callId}/operations"]?.post?.responses;
		const created = item?.["201"]?.content?.["application/json"]?.schema;
		const error = item?.default?.content?.["application/json"]?.schema;
		if (!created || !error) throw new Error("the document lacks POST …/operations");
		const url = `${stub.base}/v1.0/communications/calls/ajv-call/operations`;
		const headers = { Authorization: "Bearer ajv-token", "Content-Type": "application/json" };
		const ok = await fetch(url, { method: "POST", headers, body: JSON.stringify({ clientContext: "x" }) });
		expect(ok.status).toBe(201);
		const validCreated = ajv.compile(inlineRefs(created, document.components.schemas) as object);
		expect(validCreated(await ok.json()), JSON.stringify(validCreated.errors)).toBe(true);
		const bad = await fetch(url, { method: "POST", headers, body: JSON.stringify({ status: 7 }) });
		expect(bad.status).toBe(400);
		const validError = ajv.compile(inlineRefs(error, document.components.schemas) as object);
		expect(validError(await bad.json()), JSON.stringify(validError.errors)).toBe(true);
		expect(validCreated({ id: "x" })).toBe(false);
	});
});
