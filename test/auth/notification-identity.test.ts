import { describe, expect, it } from "vitest";
import { ORIGIN } from "../helpers/graph";
import { hs256, SECRET, sendWith } from "./helpers";

// In a mode that verifies tokens, a tester can have the stub sign notifications only for the bot and
// tenant their own token proves: never a bearer another team's bot would accept.

const HS256 = { AUTH_MODE: "hs256", STUB_JWT_SECRET: SECRET };
const MY_APP = "2891555a-92ff-42e6-80fa-6e1300c6b5c6";
const MY_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const OTHER = "11111111-2222-3333-4444-555555555555";

describe("whom notifications are signed for, in AUTH_MODE hs256", () => {
	it("refuses another bot's app id or tenant in a configuration", async () => {
		const token = await hs256({ tid: MY_TENANT, appid: MY_APP });
		for (const body of [{ botAppId: OTHER }, { tenantId: OTHER }]) {
			for (const url of [`${ORIGIN}/_stub/config`, `${ORIGIN}/_stub/calls/bound-call/config`]) {
				const response = await sendWith(HS256, "PUT", url, { token, body });
				expect(response.status).toBe(403);
				const { error } = (await response.json()) as { error: { details: { target: string }[] } };
				expect(error.details.map((detail) => detail.target)).toEqual(Object.keys(body));
			}
		}
	});

	it("accepts the token's own and fills them in when none is given", async () => {
		const token = await hs256({ tid: MY_TENANT, appid: MY_APP });
		const own = await sendWith(HS256, "PUT", `${ORIGIN}/_stub/config`, {
			token,
			body: { botAppId: MY_APP.toUpperCase() },
		});
		expect(own.status).toBe(200);
		const filled = await sendWith(HS256, "PUT", `${ORIGIN}/_stub/config`, { token, body: {} });
		expect(((await filled.json()) as { config: unknown }).config).toEqual({ botAppId: MY_APP, tenantId: MY_TENANT });
	});

	it("refuses any bot for a token that proves none (sub only)", async () => {
		const token = await hs256({ sub: "someone" });
		const response = await sendWith(HS256, "PUT", `${ORIGIN}/_stub/config`, { token, body: { botAppId: MY_APP } });
		expect(response.status).toBe(403);
	});

	it("leaves the other modes as they were: any bot may be named (docs/guides/namespaces.md says why that is local-only)", async () => {
		const response = await sendWith({}, "PUT", `${ORIGIN}/_stub/config`, { token: "t", body: { botAppId: OTHER } });
		expect(response.status).toBe(200);
	});
});
