import { describe, expect, it } from "vitest";
import { openApi } from "../openapi/conforms";

// createdDateTime and lastActionDateTime are the operations contract's, not Graph's schema's: the
// document says so wherever an operation is described.

type Described = { description?: string; properties?: Record<string, Described> };

describe("GET /_stub/openapi.json", () => {
	it.each(["CommsOperation", "ActionOperation"])("names %s's two timestamps as dynamic properties", async (name) => {
		const schema = (await openApi()).components.schemas[name] as Described;
		for (const property of ["createdDateTime", "lastActionDateTime"])
			expect(schema.properties?.[property]?.description, property).toMatch(
				/^Dynamic property of the operations contract/,
			);
		expect(schema.description).toContain("version of the request");
	});
});
