import { exports } from "cloudflare:workers";
import { Validator } from "@cfworker/json-schema";
import { expect } from "vitest";
import { ORIGIN } from "../helpers/graph";
import { inlineRefs } from "./inline-refs";

// Checks real responses against GET /_stub/openapi.json: a shape change without a document change fails.
// (@cfworker/json-schema: ajv compiles validators with `new Function`, which workerd refuses.)

type Schema = Record<string, unknown>;
type MediaTypes = Record<string, { schema: Schema }>;
type OperationDoc = { responses: Record<string, { content?: MediaTypes }> };
export type OpenApi = {
	paths: Record<string, Record<string, OperationDoc>>;
	components: { schemas: Record<string, unknown> };
};

let documentPromise: Promise<OpenApi> | undefined;
export const openApi = () =>
	(documentPromise ??= exports.default.fetch(`${ORIGIN}/_stub/openapi.json`).then((r) => r.json() as Promise<OpenApi>));

const literalSegments = (template: string) => template.split("/").filter((s) => s && !s.startsWith("{")).length;

/** The document's path template a request path falls under (the most specific, if several). */
export function templateOf(document: OpenApi, pathname: string): string | undefined {
	const matches = Object.keys(document.paths).filter((template) => {
		const pattern = template.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+");
		return new RegExp(`^${pattern}/?$`).test(pathname);
	});
	return matches.sort((a, b) => literalSegments(b) - literalSegments(a))[0];
}

/**
 * Expects `response` (to `method` `url`) to be one the document describes: its status listed (errors fall
 * under `default`, Graph's envelope), its body valid against that status's schema. Reads a clone.
 */
export async function expectConforms(method: string, url: string, response: Response) {
	const document = await openApi();
	const pathname = new URL(url).pathname;
	const template = templateOf(document, pathname);
	expect(template, `${pathname} is not in the document`).toBeDefined();
	const operation = document.paths[template ?? ""]?.[method.toLowerCase()];
	expect(operation, `${method} ${template} is not in the document`).toBeDefined();
	const described =
		operation?.responses[String(response.status)] ??
		(response.status >= 400 ? operation?.responses.default : undefined);
	expect(described, `${method} ${template} does not document status ${response.status}`).toBeDefined();
	const text = await response.clone().text();
	const content = described?.content;
	if (!content) {
		expect(text, `${method} ${template} ${response.status} documents no body`).toBe("");
		return;
	}
	const contentType = response.headers.get("Content-Type") ?? "";
	const mediaType = Object.keys(content).find((type) => contentType.startsWith(type));
	expect(mediaType, `${method} ${template} ${response.status} documents no ${contentType} body`).toBeDefined();
	const json = content["application/json"];
	if (mediaType !== "application/json" || !json) return;
	const schema = inlineRefs(json.schema, document.components.schemas) as Schema;
	const result = new Validator(schema, "2020-12", false).validate(JSON.parse(text));
	expect(
		result.valid,
		`${method} ${template} ${response.status} does not match the document: ${JSON.stringify(result.errors.slice(0, 5))}\n${text.slice(0, 500)}`,
	).toBe(true);
}

/** Sends through the Worker and checks the response against the document; returns it unread. */
export async function sendChecked(method: string, url: string, init: RequestInit = {}) {
	const response = await exports.default.fetch(url, { method, ...init });
	await expectConforms(method, url, response);
	return response;
}
