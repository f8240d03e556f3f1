import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { version as stubVersion } from "../../package.json";
import type { StubRequest } from "../http/stub-request";
import type { Route } from "../routes/route";
import { API_VERSIONS } from "../schema/api-version";
import { describedAs } from "./documented-as";
import * as RESPONSE_SCHEMAS from "./response-schemas";

// GET /_stub/openapi.json: OpenAPI 3.1 generated from the route table and the valibot schemas its rows
// name, the same ones the handlers validate with, so the document cannot drift from the code.

type JsonObject = Record<string, unknown>;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect); checks valibot cannot express (custom rules) are left out. */
function jsonSchema(schema: v.GenericSchema): JsonObject {
	const { $schema: _, ...converted } = toJsonSchema(schema, {
		target: "draft-2020-12",
		typeMode: "input",
		errorMode: "ignore",
		overrideSchema: ({ valibotSchema }) => describedAs(valibotSchema as v.GenericSchema),
	}) as JsonObject;
	return converted;
}

/** `/:version/…/:callId` → `/{version}/…/{callId}` */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

const PARAMETER_DESCRIPTIONS: Record<string, JsonObject> = {
	version: { type: "string", enum: [...API_VERSIONS] },
	callId: { type: "string" },
	operationId: { type: "string" },
};

const operationId = (route: Route) =>
	`${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? "").toUpperCase())}`;

/** Collects each named schema once under `components.schemas`; routes refer to it. */
class Components {
	readonly schemas: Record<string, JsonObject> = {};
	private readonly responseNames = new Map<unknown, string>(
		Object.entries(RESPONSE_SCHEMAS).map(([name, schema]) => [schema, name]),
	);

	private readonly sources = new Map<string, v.GenericSchema>();

	ref(name: string, schema: v.GenericSchema): JsonObject {
		const source = this.sources.get(name);
		if (source && source !== schema) throw new Error(`two different schemas are named ${name}`);
		if (!source) {
			this.sources.set(name, schema);
			this.schemas[name] = jsonSchema(schema);
		}
		return { $ref: `#/components/schemas/${name}` };
	}

	/** A response schema of response-schemas.ts by its exported name; any other inline. */
	response(schema: v.GenericSchema): JsonObject {
		const name = this.responseNames.get(schema);
		return name ? this.ref(name, schema) : jsonSchema(schema);
	}
}

function describe(route: Route, components: Components): JsonObject {
	const { doc } = route;
	const pathParameters = [...route.path.matchAll(/:(\w+)/g)].map(([, name = ""]) => ({
		name,
		in: "path",
		required: true,
		schema: PARAMETER_DESCRIPTIONS[name] ?? { type: "string" },
	}));
	const queryParameters = (doc.query ?? []).map((name) => ({
		name,
		in: "query",
		required: false,
		schema: { type: "string" },
	}));
	const responses: JsonObject = {};
	for (const [status, response] of Object.entries(doc.responses)) {
		const content = {
			...(response.json ? { "application/json": { schema: components.response(response.json) } } : {}),
			...(response.other ? { [response.other]: { schema: { type: "string" } } } : {}),
		};
		responses[status] = { description: response.description, ...(Object.keys(content).length ? { content } : {}) };
	}
	responses.default = {
		description: "Graph's error envelope (4xx, 5xx).",
		content: { "application/json": { schema: components.response(RESPONSE_SCHEMAS.GraphErrorEnvelope) } },
	};
	return {
		operationId: operationId(route),
		summary: doc.summary,
		tags: [doc.tag],
		...(doc.auth === "none" ? { security: [] } : {}),
		...(pathParameters.length || queryParameters.length ? { parameters: [...pathParameters, ...queryParameters] } : {}),
		...(doc.body
			? {
					requestBody: {
						required: doc.body.required,
						content: { "application/json": { schema: components.ref(doc.body.name, doc.body.json) } },
					},
				}
			: {}),
		responses,
	};
}

/** The document for `routes`, served from `origin`. */
export function openApiDocument(routes: readonly Route[], origin: string): JsonObject {
	const components = new Components();
	const paths: Record<string, JsonObject> = {};
	for (const route of routes) {
		const path = openApiPath(route.path);
		paths[path] = { ...paths[path], [route.method.toLowerCase()]: describe(route, components) };
	}
	return {
		openapi: "3.1.0",
		info: {
			title: "graph-comms-stub",
			version: stubVersion,
			description:
				"A stub of Microsoft Graph's cloud-communications API (calls and their commsOperations), and the stub's own controls under /_stub. Request bodies show beta's shapes, a superset of v1.0's.",
		},
		servers: [{ url: origin }],
		security: [{ bearer: [] }],
		components: {
			schemas: components.schemas,
			securitySchemes: {
				bearer: {
					type: "http",
					scheme: "bearer",
					description: "Your tester token: it names your namespace (any token your bot sends Graph).",
				},
			},
		},
		paths,
	};
}

let cached: { origin: string; text: string } | undefined;

/** The document as a response; built once per isolate and origin. */
export function openApiResponse(routes: readonly Route[], request: StubRequest): Response {
	const origin = request.meta.origin;
	if (cached?.origin !== origin) cached = { origin, text: JSON.stringify(openApiDocument(routes, origin)) };
	return new Response(cached.text, {
		headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" },
	});
}
