import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openApiPath } from "../../src/openapi/document";
import { router } from "../../src/router";
import { CALL_ACTIONS } from "../../src/routes/graph-calls/call-actions";
import { ROUTES } from "../../src/routes/route-table";
import { UNSERVED_PATHS } from "../../src/routes/unserved";
import { ORIGIN } from "../helpers/graph";
import { expectConforms, openApi, templateOf } from "./conforms";
import { inlineRefs } from "./inline-refs";

// beta: the superset (a beta-only action answers NotFound on v1.0, as Graph does; test/actions checks that).
const SAMPLE_PARAMETERS: Record<string, string> = { version: "beta", callId: "probe-call", operationId: "probe-op" };
const sampleUrl = (template: string) =>
	`${ORIGIN}${template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMETERS[name] ?? "x")}`;

// itty-router keeps a pattern without its trailing slash (`/_stub/` → `/_stub`); it matches both.
const untrailed = (path: string) => (path.length > 1 ? path.replace(/\/$/, "") : path);

const documented = async () => {
	const document = await openApi();
	return Object.entries(document.paths).flatMap(([path, item]) =>
		Object.keys(item).map((method) => `${method.toUpperCase()} ${untrailed(path)}`),
	);
};

describe("GET /_stub/openapi.json", () => {
	it("is public JSON, OpenAPI 3.1, served from the addressed origin", async () => {
		const response = await exports.default.fetch(`${ORIGIN}/_stub/openapi.json`);
		expect(response.status).toBe(200);
		const document = (await response.json()) as { openapi: string; servers: { url: string }[] };
		expect(document.openapi).toBe("3.1.0");
		expect(document.servers).toEqual([{ url: ORIGIN }]);
	});

	it("documents exactly the routes the router registers (method and path), the 405 and 404 fallbacks aside", async () => {
		const registered = router.routes
			.filter(([method]) => method !== "ALL")
			.map(([method, , , path]) => `${method} ${openApiPath(path ?? "")}`);
		expect(new Set(registered).size).toBe(registered.length);
		expect(registered.sort()).toEqual((await documented()).sort());
		// Each path with a 405 of its own is a documented path, and nothing else but the final 404 is (and the
		// documented Graph routes the stub does not serve, which answer that 404 and are not documented here).
		const unserved = new Set(UNSERVED_PATHS);
		const fallbacks = router.routes
			.filter(([method, , , path]) => method === "ALL" && !unserved.has(path ?? ""))
			.map(([, , , path]) => path ?? "");
		expect(fallbacks.at(-1)).toBe("*");
		expect(new Set(fallbacks.slice(0, -1).map(openApiPath))).toEqual(
			new Set(Object.keys((await openApi()).paths).map(untrailed)),
		);
	});

	it("is built from the route table, one operation per row", async () => {
		expect(await documented()).toHaveLength(ROUTES.length);
	});

	it("serves every documented path: none answers Graph's 'Resource not found for the segment' or 405", async () => {
		const document = await openApi();
		for (const [template, item] of Object.entries(document.paths))
			for (const method of Object.keys(item)) {
				const url = sampleUrl(template);
				const response = await exports.default.fetch(url, {
					method: method.toUpperCase(),
					headers: { Authorization: "Bearer openapi-probe", "Content-Type": "application/json" },
					...(method === "get" || method === "delete" ? {} : { body: "{}" }),
				});
				const text = await response.text();
				expect(response.status, `${method} ${template}`).not.toBe(405);
				expect(text, `${method} ${template}`).not.toContain("Resource not found for the segment");
				expect(templateOf(document, new URL(url).pathname)).toBe(template);
			}
	});

	it("says what an unknown path is not: the probe can fail", async () => {
		const response = await exports.default.fetch(`${ORIGIN}/v1.0/communications/calls/x/nonsense`, {
			method: "POST",
			headers: { Authorization: "Bearer openapi-probe" },
		});
		expect(await response.text()).toContain("Resource not found for the segment");
		expect(templateOf(await openApi(), "/v1.0/communications/calls/x/nonsense")).toBeUndefined();
	});

	it("documents every request body a route reads, generated from its valibot schema", async () => {
		const document = (await openApi()) as unknown as {
			paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
			components: { schemas: Record<string, unknown> };
		};
		const bodyOf = (path: string, method: string) =>
			inlineRefs(
				document.paths[path]?.[method]?.requestBody?.content["application/json"]?.schema,
				document.components.schemas,
			) as Record<string, unknown>;
		const create = bodyOf("/{version}/communications/calls", "post");
		expect(create).toMatchObject({ type: "object", required: expect.arrayContaining(["callbackUri", "mediaConfig"]) });
		expect(document.paths["/{version}/app/calls"]?.post?.requestBody).toEqual(
			document.paths["/{version}/communications/calls"]?.post?.requestBody,
		);
		const config = bodyOf("/_stub/config", "put");
		expect(config).toMatchObject({ type: "object", additionalProperties: false });
		expect(Object.keys(config.properties as object)).toEqual(
			expect.arrayContaining(["callbackUri", "progression", "faults", "calling"]),
		);
		for (const row of ROUTES.filter((route) => route.doc.body))
			expect(
				document.paths[openApiPath(row.path)]?.[row.method.toLowerCase()]?.requestBody,
				`${row.method} ${row.path}`,
			).toBeDefined();
	});

	it("documents the body of every call action that reads one (a new action without its schema fails here)", async () => {
		const document = (await openApi()) as unknown as {
			paths: Record<string, Record<string, { requestBody?: unknown }>>;
		};
		for (const [name, action] of Object.entries(CALL_ACTIONS))
			for (const path of [
				`/{version}/communications/calls/{callId}/${name}`,
				`/{version}/app/calls/{callId}/microsoft.graph.${name}`,
			]) {
				const operation = document.paths[path]?.post;
				expect(operation, path).toBeDefined();
				expect(operation?.requestBody !== undefined, `${path} body`).toBe(action.body);
			}
	});

	it("conformance fails a response whose shape the document does not describe", async () => {
		const url = `${ORIGIN}/_stub/health`;
		await expectConforms("GET", url, Response.json({ status: "ok", version: "1" }));
		await expect(expectConforms("GET", url, Response.json({ status: "ok" }))).rejects.toThrow(/does not match/);
		await expect(expectConforms("GET", url, new Response(null, { status: 204 }))).rejects.toThrow(/status 204/);
	});
});
